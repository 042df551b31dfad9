using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record AttachmentCreated(long Id, string Url);

/// <summary>Photos of the work (ONS-22): images up to 10 MB, their type decided by their content.</summary>
public sealed class UploadAttachment(WorkOrderAccess access, AppDbContext db, TimeProvider clock, IBlobStore blobs)
{
    private static readonly string[] Kinds = ["photo", "document"];

    public async Task<AttachmentCreated> Handle(CurrentUser user, long id, IFormFile? file, string? kind, CancellationToken ct)
    {
        user.RequireAny("attach files", [.. Roles.Office, Roles.Technician]);
        var order = await access.Load(user, id, ct);
        if (order.Status is WorkOrderStatus.Closed or WorkOrderStatus.Cancelled)
            throw new IllegalTransitionException(order.Status, "attach files to");
        var v = new Validator();
        kind ??= "photo";
        if (!Kinds.Contains(kind)) v.Add("kind", "{0}: '{1}' is not one of the allowed values: {2}.", kind, Msg.Join(Kinds.Select(k => Msg.Choice("attachment", k))));
        if (file is null || file.Length == 0) v.Add("file", "{0} is required (multipart/form-data).");
        else if (file.Length > ImageContent.MaxPhotoBytes) v.Add("file", "{0} is larger than 10 MB.");
        v.ThrowIfInvalid();

        using var buffer = new MemoryStream((int)file!.Length);
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        var type = ImageContent.Sniff(bytes) ?? throw ValidationFailedException.For("file", "{0} is not a JPEG, PNG or WebP image (checked by its content).");
        var attachment = new Attachment
        {
            WorkOrderId = order.Id, Kind = kind, ContentType = type, FileName = Path.GetFileName(file.FileName) is { Length: > 0 and <= 200 } n ? n : "upload" + ImageContent.Extension(type),
            Size = bytes.Length, BlobHash = await blobs.PutAsync(bytes, ct), UploadedAt = clock.GetUtcNow(), UploadedByUserId = user.UserId,
        };
        db.Attachments.Add(attachment);
        await db.SaveChangesAsync(ct);
        return new AttachmentCreated(attachment.Id, $"/api/work-orders/{order.Id}/attachments/{attachment.Id}");
    }

    public async Task<Attachment> Read(CurrentUser user, long id, long attachmentId, CancellationToken ct)
    {
        var visible = await access.Visible(user).AnyAsync(o => o.Id == id, ct);
        return (visible ? await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId && a.WorkOrderId == id, ct) : null)
            ?? throw new NotFoundException("Attachment", attachmentId);
    }
}

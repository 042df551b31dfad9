using System.Text.Json;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record PartInput(string? PartNumber, string? Name, int? Quantity);

public sealed record ChargeInput(string? Description, decimal? Amount);

public sealed record CompleteRequest(string? Resolution, string? FaultCategory, string? Barcode, int? TestRunMinutes,
    Dictionary<string, JsonElement>? Checklist, List<PartInput>? PartsUsed, List<ChargeInput>? Charges, string? Signature, int? Version);

/// <summary>The technician finishes the work on site: resolution, barcode, test run, checklist, parts, charges, signature.</summary>
public sealed class CompleteWorkOrder(TechnicianActions actions, AppDbContext db, TimeProvider clock)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, CompleteRequest r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("complete", TechnicianActions.AllowedRoles);
        var v = new Validator();
        v.RequiredText(r.Resolution, 2000, "resolution").MaxLength(r.FaultCategory, 64, "faultCategory").MaxLength(r.Barcode, 64, "barcode");
        if (r.TestRunMinutes is < 0 or > 1440) v.Add("testRunMinutes", "'testRunMinutes' must be between 0 and 1440.");
        if (r.Checklist is { Count: > 100 }) v.Add("checklist", "At most 100 checklist items.");
        foreach (var key in r.Checklist?.Keys ?? Enumerable.Empty<string>())
            if (key.Length > 64) v.Add("checklist", "Checklist item names are at most 64 characters.");
        var parts = new List<WorkOrderPart>();
        for (var i = 0; i < (r.PartsUsed?.Count ?? 0); i++)
        {
            var p = r.PartsUsed![i];
            v.RequiredText(p?.PartNumber, 64, $"partsUsed[{i}].partNumber").MaxLength(p?.Name, 100, $"partsUsed[{i}].name");
            if (p?.Quantity is null or < 1 or > 999) v.Add($"partsUsed[{i}].quantity", $"'partsUsed[{i}].quantity' must be between 1 and 999.");
            else if (v.IsValid) parts.Add(new WorkOrderPart { PartNumber = p.PartNumber!.Trim(), Name = p.Name, Quantity = p.Quantity.Value });
        }
        var charges = new List<WorkOrderCharge>();
        for (var i = 0; i < (r.Charges?.Count ?? 0); i++)
        {
            var c = r.Charges![i];
            v.RequiredText(c?.Description, 200, $"charges[{i}].description");
            if (c?.Amount is null or < 0 or > 100_000m || decimal.Round(c.Amount.Value, 2) != c.Amount.Value)
                v.Add($"charges[{i}].amount", $"'charges[{i}].amount' must be between 0.00 and 100000.00 CNY with at most two decimals.");
            else if (v.IsValid) charges.Add(new WorkOrderCharge { Description = c.Description!.Trim(), Amount = c.Amount.Value });
        }
        var signature = r.Signature is null ? null : DecodeSignature(v, r.Signature);
        v.ThrowIfInvalid();

        return actions.Run(user, id, "complete", r.Version, ifMatch, (order, actor, now) =>
        {
            Attachment? signatureAttachment = null;
            if (signature is { } sig)
            {
                var attachment = new Attachment
                {
                    WorkOrderId = order.Id, Kind = "signature", ContentType = sig.ContentType, FileName = "signature" + ImageContent.Extension(sig.ContentType),
                    Size = sig.Bytes.Length, Content = sig.Bytes, UploadedAt = clock.GetUtcNow(), UploadedByUserId = user.UserId,
                };
                db.Attachments.Add(attachment);
                signatureAttachment = attachment;
            }
            order.Complete(new Completion(r.Resolution!.Trim(), r.FaultCategory, r.Barcode, r.TestRunMinutes, r.Checklist, signatureAttachment, parts, charges), actor, now);
        }, ct);
    }

    /// <summary>Accepts "data:image/png;base64,…" whose bytes really are an image of at most 1 MB.</summary>
    private static (string ContentType, byte[] Bytes)? DecodeSignature(Validator v, string dataUrl)
    {
        var comma = dataUrl.IndexOf(',', StringComparison.Ordinal);
        if (!dataUrl.StartsWith("data:image/", StringComparison.Ordinal) || comma < 0 || !dataUrl[..comma].EndsWith(";base64", StringComparison.Ordinal))
        {
            v.Add("signature", "'signature' must be a data URL: data:image/png;base64,….");
            return null;
        }
        if (dataUrl.Length - comma > ImageContent.MaxSignatureBytes * 4 / 3 + 4)
        {
            v.Add("signature", "'signature' is larger than 1 MB.");
            return null;
        }
        byte[] bytes;
        try { bytes = Convert.FromBase64String(dataUrl[(comma + 1)..]); }
        catch (FormatException)
        {
            v.Add("signature", "'signature' is not valid base64.");
            return null;
        }
        var type = ImageContent.Sniff(bytes);
        if (type is null) v.Add("signature", "'signature' is not a PNG, JPEG or WebP image.");
        return type is null ? null : (type, bytes);
    }
}

using System.Text.Json;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Photos">Up to 5 photos as data: URLs (JPEG, PNG, WebP).</param>
public sealed record AppealRequest(string? Reason, IReadOnlyList<string>? Photos, int? Version);

/// <summary>
/// 申诉: the person fined appeals a confirmed fine within the policy's window (discipline.appealWindowDays from the
/// confirmation), once, with a reason and photos; after the window it is 409. The managers are told; the fine stays
/// deducted until a manager decides (<see cref="DecideAppeal"/>).
/// </summary>
public sealed class AppealPenaltyCase(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, Infrastructure.Blobs.IBlobStore blobs)
{
    public async Task<PenaltyCaseDto> Handle(CurrentUser user, long id, AppealRequest r, CancellationToken ct)
    {
        var v = new Validator().RequiredText(r.Reason, 1000, "reason");
        if (r.Photos is { Count: > 5 }) v.Add("photos", "{0}: at most 5 photos.");
        var c = await db.PenaltyCases.FirstOrDefaultAsync(x => x.Id == id, ct);
        // Only the person fined appeals; to anyone else who may not read the case it does not exist.
        if (c is null || (c.PersonUserId != user.UserId && (user.IsOnlyTechnician || !user.CanSeeBranch(c.BranchId)))) throw new NotFoundException("Penalty case", id);
        if (c.PersonUserId != user.UserId) throw new ForbiddenException("Only the person fined may appeal the fine.");
        var photos = new List<string>();
        for (var i = 0; i < (r.Photos?.Count ?? 0); i++)
        {
            if (Image(r.Photos![i]) is { } bytes) photos.Add(await blobs.PutAsync(bytes, ct));
            else v.Add($"photos[{i}]", "{0} is a JPEG, PNG or WebP photo of at most 10 MB, as a data: URL.");
        }
        v.ThrowIfInvalid();
        Concurrency.Check("Penalty case", c.Version, r.Version, null);
        var policy = await policies.ById(db, c.PolicyVersionId, ct);
        var now = clock.GetUtcNow();
        c.Appeal(r.Reason!.Trim(), JsonSerializer.Serialize(new { photos }, JsonSerializerOptions.Web), now, Deadline(c, policy));
        Notify.Queue(db, now, "appeal", c.BranchId, c.WorkOrderId, Msg.Of("An appeal to decide"),
            Msg.Of("{0} ({1}) is appealed: {2}", Msg.Code("fine", c.PenaltyKey), c.RuleIds.Split(',')[0], Msg.Verbatim(r.Reason.Trim())), [], [Roles.Manager]);
        await db.SaveChangesAsync(ct);
        return PenaltyCaseDto.From(c, await zones.For(c.BranchId, ct), policy);
    }

    /// <summary>The last moment the case may be appealed: the policy's window from its confirmation.</summary>
    public static DateTimeOffset Deadline(PenaltyCase c, CompanyPolicy policy) => (c.DecidedAt ?? c.CreatedAt).AddDays(policy.AppealWindowDays);

    internal static byte[]? Image(string? data)
    {
        var comma = data?.IndexOf(',', StringComparison.Ordinal) ?? -1;
        if (data is null || !data.StartsWith("data:", StringComparison.Ordinal) || comma < 0) return null;
        try
        {
            var bytes = Convert.FromBase64String(data[(comma + 1)..]);
            return bytes.Length <= WorkOrders.ImageContent.MaxPhotoBytes && WorkOrders.ImageContent.Sniff(bytes) is not null ? bytes : null;
        }
        catch (FormatException) { return null; }
    }
}

using System.Text.Json.Nodes;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Policy;

public sealed record DraftPolicyRequest(string? BasedOn, DateTimeOffset? EffectiveFrom, JsonObject? Parameters, JsonObject? Penalties, string? Note);

public sealed record RejectDraftRequest(string? Reason);

public sealed record PolicySignatureDto(string Step, string StepName, string? By, string? ByName, DateTimeOffset? At);

public sealed record PolicyDraftDto(long Id, string BasedOn, DateTimeOffset? EffectiveFrom, JsonNode? Parameters, JsonNode? Penalties, string Note, string Status, string StatusName,
    string? NextStep, string? NextStepName, IReadOnlyList<PolicySignatureDto> Signatures, int? PublishedVersion, string? RejectedBy, DateTimeOffset? RejectedAt,
    string? RejectionReason, int Version);

/// <summary>
/// GOV-03/04: a change of the regulation signed off before it is in force. The responsible unit drafts it (编制: a
/// dispatcher, supervisor or manager — the change checked exactly as a publish would check it); then each step the
/// policy's <c>governance.approvalChain</c> names, in order, by a different person: reviewed (审核: supervisor or
/// manager), countersigned (会签: the office's departments), approved (批准: the general manager — head office's managers).
/// A draft is its branch's and head office's: another branch neither sees nor signs it.
/// The approval puts it in force as a new version, in the same commit. Anyone signing may reject it instead, with a
/// reason. The next signers are told (<c>policyDraftToSign</c>), the drafter of the outcome (<c>policyDraftDecided</c>).
/// <c>PUT /api/policy</c> stays the general manager's own publish.
/// </summary>
public sealed class SignOffPolicy(AppDbContext db, ManagePolicy policies, PolicyStore store, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Drafters = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.Dispatcher];
    public static readonly string[] Reviewers = [Roles.Admin, Roles.Manager, Roles.Supervisor];

    public static string[] SignersOf(PolicyDraftStep step) => step switch
    {
        PolicyDraftStep.Prepare => Drafters,
        PolicyDraftStep.Review => Reviewers,
        PolicyDraftStep.Countersign => Roles.Office,
        _ => [Roles.Admin, Roles.Manager],
    };

    /// <summary>Whether <paramref name="user"/> may sign <paramref name="step"/> (the approval: head office only).</summary>
    public static bool MaySign(CurrentUser user, PolicyDraftStep step) => user.IsAny(SignersOf(step)) && (step != PolicyDraftStep.Approve || user.IsHeadOffice);

    public async Task<PolicyDraftDto> Draft(CurrentUser user, DraftPolicyRequest r, CancellationToken ct)
    {
        user.RequireAny("draft a policy change", Drafters);
        var now = clock.GetUtcNow();
        var note = new Validator().RequiredText(r.Note, 1000, "note");
        note.ThrowIfInvalid();
        var request = new PublishPolicyRequest(r.BasedOn, r.EffectiveFrom, r.Parameters, r.Penalties);
        await policies.Build(user, request, now, ct); // every field error now, not at the approval
        var chain = (await store.InForce(db, now, ct)).ApprovalChain;
        var steps = new[] { PolicyDraftStep.Review, PolicyDraftStep.Countersign }.Where(s => chain.Contains(JsonNames.Of(s))).Append(PolicyDraftStep.Approve);
        var draft = new PolicyDraft
        {
            BranchId = user.BranchId, BasedOn = r.BasedOn!, EffectiveFrom = r.EffectiveFrom?.ToUniversalTime(), Note = r.Note!.Trim(),
            ChangeJson = new JsonObject { ["parameters"] = r.Parameters?.DeepClone(), ["penalties"] = r.Penalties?.DeepClone() }.ToJsonString(),
            Steps = string.Join(',', steps.Select(JsonNames.Of)), PreparedBy = user.UserName, PreparedAt = now,
        };
        db.Add(draft);
        await Waiting(draft, user, now, ct);
        await db.SaveChangesAsync(ct);
        return await Dto(user, draft, ct);
    }

    public async Task<PolicyDraftDto> Sign(CurrentUser user, long id, CancellationToken ct)
    {
        var draft = await Find(user, id, ct);
        if (draft.Next is { } step && !MaySign(user, step))
            throw new ForbiddenException("Signing the step {0} of a policy change is not for your role.", Msg.Code("policyDraftStep", JsonNames.Of(step)));
        var now = clock.GetUtcNow();
        var signed = draft.Sign(user.UserName, await Name(user.UserName, ct), now);
        if (signed == PolicyDraftStep.Approve)
        {
            var change = JsonNode.Parse(draft.ChangeJson)!.AsObject();
            var version = await policies.PublishApproved(user,
                new PublishPolicyRequest(draft.BasedOn, draft.EffectiveFrom, change["parameters"] as JsonObject, change["penalties"] as JsonObject), ct);
            draft.Published(version.Number);
            Notify.Queue(db, now, "policyDraftDecided", user.BranchId, null, Msg.Of("Policy change approved: version {0}", version.Number),
                Msg.Of("{0}: approved by {1}.", draft.Note, await Name(user.UserName, ct)), [await UserId(draft.PreparedBy, ct)], []);
            await db.SaveChangesAsync(ct); // the approval with the version it put in force
        }
        else
        {
            await Waiting(draft, user, now, ct);
            await db.SaveChangesAsync(ct);
        }
        return await Dto(user, draft, ct);
    }

    public async Task<PolicyDraftDto> Reject(CurrentUser user, long id, RejectDraftRequest r, CancellationToken ct)
    {
        var draft = await Find(user, id, ct);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        if (draft.Next is { } step && !MaySign(user, step) && draft.PreparedBy != user.UserName)
            throw new ForbiddenException("Signing the step {0} of a policy change is not for your role.", Msg.Code("policyDraftStep", JsonNames.Of(step)));
        var now = clock.GetUtcNow();
        draft.Reject(user.UserName, r.Reason!.Trim(), now);
        Notify.Queue(db, now, "policyDraftDecided", user.BranchId, null, Msg.Of("Policy change rejected"),
            Msg.Of("{0}: rejected by {1}: {2}", draft.Note, await Name(user.UserName, ct), r.Reason!.Trim()), [await UserId(draft.PreparedBy, ct)], []);
        await db.SaveChangesAsync(ct);
        return await Dto(user, draft, ct);
    }

    public async Task<Page<PolicyDraftDto>> List(CurrentUser user, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read policy drafts", Roles.Office);
        var (skip, take) = Paging.Check(page, pageSize);
        var v = new Validator();
        var state = v.Enum<PolicyDraftStatus>(status, "status", required: false, kind: "policyDraftStatus");
        v.ThrowIfInvalid();
        var query = db.Set<PolicyDraft>().AsNoTracking();
        if (!user.IsHeadOffice) query = query.Where(d => d.BranchId == user.BranchId);
        if (state is { } s) query = query.Where(d => d.Status == s);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.Id).Skip(skip).Take(take).ToListAsync(ct);
        var names = await Names(items, ct); // one read for every signer shown
        var zone = await zones.For(user.BranchId, ct);
        return new Page<PolicyDraftDto>(items.Select(d => Dto(d, names, zone)).ToList(), total);
    }

    private async Task<PolicyDraft> Find(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read policy drafts", Roles.Office);
        var draft = await db.Set<PolicyDraft>().FirstOrDefaultAsync(d => d.Id == id, ct);
        return draft is not null && user.CanSeeBranch(draft.BranchId) ? draft : throw new NotFoundException("Policy draft", id);
    }

    /// <summary>Those who may sign the next step are told it waits for them.</summary>
    private async Task Waiting(PolicyDraft draft, CurrentUser by, DateTimeOffset now, CancellationToken ct)
    {
        if (draft.Next is not { } next) return;
        Notify.Queue(db, now, "policyDraftToSign", by.BranchId, null,
            Msg.Of("A policy change waits for your signature: {0}", Msg.Code("policyDraftStep", JsonNames.Of(next))),
            Msg.Of("{0} (drafted by {1})", draft.Note, await Name(draft.PreparedBy, ct)), [], SignersOf(next));
    }

    private async Task<string> Name(string userName, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? userName;

    private async Task<int?> UserId(string userName, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);

    private async Task<PolicyDraftDto> Dto(CurrentUser reader, PolicyDraft d, CancellationToken ct) => Dto(d, await Names([d], ct), await zones.For(reader.BranchId, ct));

    /// <summary>The display names of everyone who signed <paramref name="drafts"/>, by login.</summary>
    private async Task<Dictionary<string, string>> Names(IReadOnlyCollection<PolicyDraft> drafts, CancellationToken ct)
    {
        var logins = drafts.SelectMany(d => new[] { d.PreparedBy, d.ReviewedBy, d.CountersignedBy, d.ApprovedBy }).OfType<string>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => logins.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
    }

    /// <summary>The draft as its reader sees it: every time in the reader's branch's zone, as every other resource answers.</summary>
    private static PolicyDraftDto Dto(PolicyDraft d, Dictionary<string, string> names, TimeZoneInfo zone)
    {
        var change = JsonNode.Parse(d.ChangeJson)!.AsObject();
        var signatures = new[] { PolicyDraftStep.Prepare }.Concat(d.StepList).Select(step =>
        {
            var by = d.SignedBy(step);
            DateTimeOffset? at = step switch
            {
                PolicyDraftStep.Prepare => d.PreparedAt, PolicyDraftStep.Review => d.ReviewedAt, PolicyDraftStep.Countersign => d.CountersignedAt, _ => d.ApprovedAt,
            };
            return new PolicySignatureDto(JsonNames.Of(step), Msg.Code("policyDraftStep", JsonNames.Of(step)).Render(), by, by is null ? null : names.GetValueOrDefault(by, by), BranchTime.Local(at, zone));
        }).ToList();
        return new PolicyDraftDto(d.Id, d.BasedOn, BranchTime.Local(d.EffectiveFrom, zone), change["parameters"]?.DeepClone(), change["penalties"]?.DeepClone(), d.Note,
            JsonNames.Of(d.Status), Msg.Code("policyDraftStatus", JsonNames.Of(d.Status)).Render(), d.Next is { } n ? JsonNames.Of(n) : null,
            d.Next is { } m ? Msg.Code("policyDraftStep", JsonNames.Of(m)).Render() : null, signatures, d.PublishedVersion, d.RejectedBy, BranchTime.Local(d.RejectedAt, zone), d.RejectionReason, d.Version);
    }
}

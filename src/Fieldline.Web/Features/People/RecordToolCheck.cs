using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="Missing">The items of the person's kit not found, by code (<c>refrigerantGauge</c>); an empty list when the kit is complete.</param>
/// <param name="Present">Optionally, the items found: with <paramref name="Missing"/> they must name the whole kit.</param>
public sealed record ToolCheckBody(int? TechnicianId, IReadOnlyList<string>? Missing, IReadOnlyList<string>? Present, string? Note);

public sealed record KitItemDto(string Code, string Name, bool Present);

public sealed record ToolCheckDto(long Id, int BranchId, int TechnicianId, string TechnicianName, DateOnly CheckedOn, DateTimeOffset CheckedAt, string CheckedBy,
    bool Complete, IReadOnlyList<KitItemDto> Items, IReadOnlyList<string> Missing, bool BlocksDispatch, long? PenaltyCaseId, decimal? FineAmount, string? Note);

/// <summary>
/// <c>POST /api/tool-checks</c>: the monthly spot check of one person's kit (TLS-02..04), by a supervisor on the people
/// desk. The kit is the policy's for the person's work (installer crew, repair technician, or both). A missing item
/// proposes the policy's fine through the one penalty factory (30 CNY under Gree, PEN-09) and keeps the person out of
/// dispatch — the eligibility rule's <c>kitIncomplete</c> — until a later check finds the kit complete (SC-32).
/// </summary>
public sealed class RecordToolCheck(AppDbContext db, PolicyStore policies, ProposePenaltyCase penalties, BranchZones zones, TimeProvider clock)
{
    /// <summary>Who checks kits: the after-sales supervisor and the managers.</summary>
    public static readonly string[] Checkers = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<ToolCheckDto> Handle(CurrentUser user, ToolCheckBody r, CancellationToken ct)
    {
        user.RequireAny("record a tool check", Checkers);
        var v = new Validator("toolCheck");
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        if (r.Missing is null) v.Add("missing", "{0} is required (an empty list when the kit is complete).");
        v.MaxLength(r.Note, 500, "note");
        v.ThrowIfInvalid();
        var tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var category = StaffCategory.OfSkills(tech.Skills);
        var kit = policy.KitFor(category);
        if (kit.Count == 0) throw ValidationFailedException.For("technicianId", "The policy in force names no kit for this person.");
        var codes = kit.Select(k => k.Code).ToHashSet(StringComparer.Ordinal);
        var missing = r.Missing!.Select(m => m.Trim()).Distinct().ToList();
        if (missing.FirstOrDefault(m => !codes.Contains(m)) is { } unknown)
            v.Add("missing", "{0}: {1} is not in the kit. The kit: {2}.", Msg.Verbatim(unknown), KitChoices(kit));
        if (r.Present is { } present)
        {
            if (present.FirstOrDefault(p => !codes.Contains(p)) is { } notInKit) v.Add("present", "{0}: {1} is not in the kit. The kit: {2}.", Msg.Verbatim(notInKit), KitChoices(kit));
            else if (present.Intersect(missing).Any() || present.Union(missing).Distinct().Count() != codes.Count)
                v.Add("present", "{0} and the missing items must name every item of the kit once.");
        }
        v.ThrowIfInvalid();

        var zone = await zones.For(tech.BranchId, ct);
        // The same finding recorded twice (a double click, a resend without its key) is one check, fined once (TLS-04).
        var today = BranchTime.Today(now, zone);
        var sameDay = kit.Select(k => k.Code).Where(missing.Contains);
        await db.SerializeAsync("technicianDiscipline", tech.Id, ct);
        var earlier = await db.Set<ToolCheck>().AsNoTracking().Where(c => c.TechnicianId == tech.Id && c.CheckedOn == today)
            .OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        if (earlier is not null && earlier.Missing == string.Join(",", sameDay))
            throw new ConflictException(Msg.Of("This tool check was already recorded today at {0} by {1} (check {2}).",
                BranchTime.Local(earlier.CheckedAt, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), earlier.CheckedBy, earlier.Id),
                Msg.Of("Already recorded"));
        var check = new ToolCheck
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, PolicyVersionId = policy.VersionId,
            CheckedOn = BranchTime.Today(now, zone), CheckedAt = now, CheckedBy = user.UserName,
            Kit = string.Join(",", kit.Select(k => k.Chinese is null ? k.Code : $"{k.Code}({k.Chinese})")),
            Missing = string.Join(",", kit.Select(k => k.Code).Where(missing.Contains)), BlocksDispatch = policy.KitBlocksDispatch,
            Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(),
        };
        if (!check.Complete && policy.RuleFor(CompanyPolicy.MissingToolRule, category) is { } rule)
            check.PenaltyCase = (await penalties.Handle(new PenaltyFinding(policy, rule, tech.UserId, tech.BranchId, now,
                new { toolCheck = true, missing = check.MissingCodes, note = check.Note }) { RecordedBy = user.UserName, Count = check.MissingCodes.Count }, ct)).Case;
        db.Add(check);
        if (!check.Complete)
            Notify.Queue(db, now, "kitIncomplete", tech.BranchId, null, Msg.Of("Kit incomplete"),
                Msg.Of("Tool check: missing {0}.", Msg.Join(MissingNames(check))), [tech.UserId], [Roles.Dispatcher, Roles.Supervisor]);
        await db.SaveChangesAsync(ct);
        return Dto(check, tech.User?.DisplayName ?? "", check.PenaltyCase?.Amount, zone);
    }

    public async Task<Page<ToolCheckDto>> List(CurrentUser user, int? technicianId, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct,
        bool mine = false)
    {
        user.RequireAny("read tool checks", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Set<ToolCheck>().AsNoTracking();
        if (user.IsOnlyTechnician || mine) query = query.Where(c => c.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(c => c.BranchId == user.BranchId);
        if (technicianId is { } t) query = query.Where(c => c.TechnicianId == t);
        if (from is { } f) query = query.Where(c => c.CheckedOn >= f);
        if (to is { } u) query = query.Where(c => c.CheckedOn <= u);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        var techIds = items.Select(c => c.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var caseIds = items.Where(c => c.PenaltyCaseId != null).Select(c => c.PenaltyCaseId!.Value).ToList();
        var amounts = await db.PenaltyCases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Amount, ct);
        var result = new List<ToolCheckDto>(items.Count);
        foreach (var c in items)
            result.Add(Dto(c, names.GetValueOrDefault(c.TechnicianId, ""), c.PenaltyCaseId is { } id ? amounts.GetValueOrDefault(id) : null, await zones.For(c.BranchId, ct)));
        return new Page<ToolCheckDto>(result, total);
    }

    /// <summary>An item by its name in the reader's language (the catalogue's <c>kit.*</c>; its code when the catalogue lacks it).</summary>
    public static Msg ItemName(PolicyItem item) => Msg.Code("kit", item.Code);

    private static Msg KitChoices(IEnumerable<PolicyItem> kit) => Msg.Join(kit.Select(k => Msg.Choice("kit", k.Code)));

    public static IEnumerable<Msg> MissingNames(ToolCheck c)
    {
        var kit = c.Kit.Split(',').Select(PolicyItem.Parse).ToDictionary(k => k.Code, StringComparer.Ordinal);
        return c.MissingCodes.Select(m => kit.TryGetValue(m, out var item) ? ItemName(item) : Msg.Verbatim(m));
    }

    private static ToolCheckDto Dto(ToolCheck c, string name, decimal? amount, TimeZoneInfo zone)
    {
        var missing = c.MissingCodes;
        var items = c.Kit.Split(',').Select(PolicyItem.Parse).Select(k => new KitItemDto(k.Code, ItemName(k).Render(), !missing.Contains(k.Code))).ToList();
        return new ToolCheckDto(c.Id, c.BranchId, c.TechnicianId, name, c.CheckedOn, BranchTime.Local(c.CheckedAt, zone), c.CheckedBy, c.Complete, items, missing,
            c.BlocksDispatch, c.PenaltyCaseId, amount, c.Note);
    }
}

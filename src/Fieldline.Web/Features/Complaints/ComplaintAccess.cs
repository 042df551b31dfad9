using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

/// <summary>
/// Who may see and handle complaints, and the shared path of the verify / reject / resolve actions: role (403),
/// visibility (404), version (409/412), the entity's transition rule (409), one save.
/// </summary>
public sealed class ComplaintAccess(AppDbContext db, TimeProvider clock, BranchZones zones, PolicyStore policies, RuleTexts rules)
{
    /// <summary>Who takes a complaint down: the front desk, the clerks on the hotline, return-visit agents who hear one, managers.</summary>
    public static readonly string[] Registrars = [Roles.ComplaintHandler, Roles.InfoClerk, Roles.ReturnVisitAgent, Roles.Manager, Roles.Admin];

    /// <summary>
    /// Who verifies, rejects and resolves (CPL-14: the front desk; the manager for the complaints the manager owns), and the
    /// after-sales supervisor, who verifies the complaints a fine waits for (scenarios.md: such a case "is confirmed when the
    /// supervisor verifies it").
    /// </summary>
    public static readonly string[] Handlers = [Roles.ComplaintHandler, Roles.Supervisor, Roles.Manager, Roles.Admin];

    /// <summary>
    /// Office staff see their branch's complaints (head office all of them), like work orders. A technician sees only the
    /// complaints about themselves, and only once verified: while it is open the complaint is handled privately (CPL-15),
    /// and the customer is not exposed to the person complained about before anyone has checked the facts.
    /// </summary>
    public IQueryable<Complaint> Visible(CurrentUser user)
    {
        var query = db.Complaints.AsQueryable();
        if (user.IsOnlyTechnician) return query.Where(c => c.PersonUserId == user.UserId && c.VerifiedAt != null);
        if (!user.IsAny(Roles.Office)) return query.Where(_ => false);
        return user.IsHeadOffice ? query : query.Where(c => c.BranchId == user.BranchId);
    }

    public async Task<Complaint> Load(CurrentUser user, long id, CancellationToken ct) =>
        await Visible(user).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Complaint", id);

    /// <summary>Runs one handling action on a complaint the caller may see and handle, then saves once.</summary>
    public async Task<ComplaintDto> Run(CurrentUser user, long id, string action, int? version, IfMatchVersions? ifMatch,
        Func<Complaint, DateTimeOffset, Task> apply, CancellationToken ct)
    {
        user.RequireAny(action, Handlers);
        var complaint = await Load(user, id, ct);
        // CPL-14 / CPL-21 / CPL-12: a major, angry or repeated complaint is handled by the manager personally.
        if (complaint.OwnerRole == Roles.Manager && !user.IsAny(Roles.Manager, Roles.Admin))
            throw new ForbiddenException("Complaint {0} is the manager's to handle ({1}).", id, complaint.EscalationText);
        // Nobody judges a complaint about themselves (a complaint naming the supervisor fines him, CPL-11).
        if (complaint.PersonUserId == user.UserId)
            throw new ForbiddenException("Complaint {0} is about you: someone else handles it.", id);
        Concurrency.Check("Complaint", complaint.Version, version, ifMatch);
        var now = clock.GetUtcNow();
        await apply(complaint, now);
        await db.SaveChangesAsync(ct);
        return await ToDto(complaint, ct);
    }

    public async Task<ComplaintDto> ToDto(Complaint c, CancellationToken ct)
    {
        var zone = await zones.For(c.BranchId, ct);
        var now = clock.GetUtcNow();
        var clocks = await db.SlaClocks.AsNoTracking().Include(x => x.Pauses).Where(x => x.ComplaintId == c.Id).OrderBy(x => x.Id).ToListAsync(ct);
        var cases = await db.PenaltyCases.AsNoTracking().Where(x => x.ComplaintId == c.Id).OrderBy(x => x.Id).ToListAsync(ct);
        var code = c.WorkOrderId is { } wid ? await db.WorkOrders.Where(o => o.Id == wid).Select(o => o.Code).FirstOrDefaultAsync(ct) : null;
        var findings = (await Findings([c.Id], ct)).GetValueOrDefault(c.Id, []);
        return ComplaintDto.From(c, code, zone, clocks.Select(x => WorkOrders.ClockDto.From(x, now, zone)).ToList(),
            cases.Select(x => PenaltyCaseDto.From(x, zone)).ToList(), findings);
    }

    /// <summary>The findings of these complaints (the caller has already checked they may see them), each with its case's amount and state.</summary>
    public async Task<Dictionary<long, IReadOnlyList<FindingDto>>> Findings(IReadOnlyCollection<long> complaintIds, CancellationToken ct)
    {
        if (complaintIds.Count == 0) return [];
        var rows = await db.ComplaintFindings.AsNoTracking().Where(f => complaintIds.Contains(f.ComplaintId)).OrderBy(f => f.Id)
            .Select(f => new { Finding = f, Case = f.PenaltyCase!, Person = db.Users.Where(u => u.Id == f.PersonUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        var result = new Dictionary<long, IReadOnlyList<FindingDto>>();
        foreach (var group in rows.GroupBy(r => r.Finding.ComplaintId))
        {
            var list = new List<FindingDto>();
            foreach (var r in group)
            {
                var zone = await zones.For(r.Case.BranchId, ct);
                var trigger = (await policies.ById(db, r.Case.PolicyVersionId, ct)).Rule(r.Finding.PenaltyKey)?.Trigger ?? r.Finding.PenaltyKey;
                list.Add(new FindingDto(r.Finding.Id, r.Finding.ComplaintId, r.Finding.PenaltyKey, r.Case.RuleIds.Split(',')[0], r.Case.RuleIds, trigger,
                    r.Finding.PersonUserId, r.Person, r.Finding.Note, r.Case.Amount, JsonNames.Of(r.Case.State), r.Case.Id,
                    BranchTime.Local(r.Finding.RecordedAt, zone), r.Finding.RecordedBy, rules.FineName(r.Finding.PenaltyKey, trigger, r.Case.RuleIds)));
            }
            result[group.Key] = list;
        }
        return result;
    }
}

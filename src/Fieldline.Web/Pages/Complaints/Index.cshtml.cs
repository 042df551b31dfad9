using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Complaints;

/// <summary>
/// The complaint desk (CPL): register a complaint by phone or order code, see it routed, verify, reject or resolve it.
/// The late-contact fines it triggers are proposed and decided by the complaint use cases, exactly as through the API; next to
/// verify / reject, the handler records what an open complaint establishes (a finding: a complaint fine of the order's policy
/// against a person), which verification then confirms.
/// </summary>
public sealed class IndexModel(FindComplaints find, RegisterComplaint register, VerifyComplaint verify, RejectComplaint reject,
    ResolveComplaint resolve, RecordComplaintFinding findings, WorkOrderAccess orders, BranchZones zones, AppDbContext db) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "open";
    /// <summary>The complaints registered from this day (the branch's) …</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>… to this day, inclusive: the dashboard's complaint rate opens its period's complaints here.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    /// <summary>One branch (head office); another branch's is ignored for a branch's staff, who see their own.</summary>
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    /// <summary>The statuses the KPI-01 complaint rate counts (a rejected complaint was groundless).</summary>
    public const string NotRejected = "open,verified,resolved";

    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? OrderCode { get; set; }
    [BindProperty] public string Type { get; set; } = "lateContact";
    [BindProperty] public string Level { get; set; } = "company";
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public bool Angry { get; set; }
    [BindProperty] public bool Major { get; set; }

    public Page<ComplaintSummaryDto> Items { get; private set; } = new([], 0);
    public Dictionary<long, string> Codes { get; private set; } = [];
    public Dictionary<long, IReadOnlyList<FindingDto>> Findings { get; private set; } = [];
    /// <summary>Per open complaint the caller handles: the fines a finding may name (from the order's policy version).</summary>
    public Dictionary<long, IReadOnlyList<FindingRuleDto>> Rules { get; private set; } = [];
    /// <summary>Per branch: the people a finding may be against (technicians and supervisors), by name.</summary>
    public Dictionary<int, List<(int Id, string Name, bool Supervisor)>> Staff { get; private set; } = [];
    /// <summary>The complaint whose finding form was just refused: its form stays open with the errors.</summary>
    public long? FindingFor { get; private set; }
    /// <summary>The complaint whose verify / reject / resolve was refused: its form shows why, next to the field.</summary>
    public long? DecideFor { get; private set; }
    public bool CanHandle => Me.IsAny(ComplaintAccess.Handlers);

    /// <summary>Whether this reader handles this complaint: a handler, the manager's own for a manager's, never one about themselves.</summary>
    public bool MayHandle(ComplaintSummaryDto c) => CanHandle && c.PersonUserId != Me.UserId && (c.OwnerRole != Roles.Manager || Me.IsAny(Roles.Manager, Roles.Admin));
    public bool CanRegister => Me.IsAny(ComplaintAccess.Registrars);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostRegister(CancellationToken ct)
    {
        ComplaintDto? created = null;
        if (await Attempt(async () =>
            {
                long? orderId = null;
                if (!string.IsNullOrWhiteSpace(OrderCode))
                {
                    var code = OrderCode.Trim();
                    // Codes are unique per branch only: look among the orders the caller may see, and refuse an ambiguous one.
                    var matches = await orders.Visible(Me).Where(o => o.Code == code).Select(o => o.Id).Take(2).ToListAsync(ct);
                    if (matches.Count != 1) throw ValidationFailedException.For("workOrderId", "No work order {1}.", code);
                    orderId = matches[0];
                }
                created = await register.Handle(Me, new RegisterComplaintRequest(Type, Level, "hotline", Description, null,
                    string.IsNullOrWhiteSpace(Phone) ? null : Phone, null, orderId, null, Major, Angry, null, null), ct);
            }))
        {
            Flash = T["Complaint #{0} registered, routed to {1}.", created!.Id, created.RoutedTo is { } dept ? T.Code("dept", dept) : T.Code("role", created.OwnerRole)];
            return Redirect("/complaints");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecide(long id, string decision, string? note, bool customerNotified, int? version, CancellationToken ct)
    {
        if (await Attempt(() => decision switch
            {
                "verify" => verify.Handle(Me, id, new VerifyComplaintRequest(note, null, version), null, ct),
                "reject" => reject.Handle(Me, id, new RejectComplaintRequest(note, version), null, ct),
                _ => resolve.Handle(Me, id, new ResolveComplaintRequest(note, customerNotified, version), null, ct),
            }))
        {
            Flash = T["Saved."];
            return Redirect($"/complaints?status={Status}");
        }
        DecideFor = id;
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFinding(long id, string? penaltyKey, int? personUserId, string? note, int? version, CancellationToken ct)
    {
        var created = false;
        if (await Attempt(async () => created = (await findings.Handle(Me, id, new RecordFindingRequest(penaltyKey, personUserId, note, version), null, ct)).Created))
        {
            Flash = created ? T["The finding was recorded; its fine waits for the complaint's verification."] : T["This finding was already recorded."];
            return Redirect($"/complaints?status={Status}#complaint-{id}");
        }
        FindingFor = id;
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        int? branch = BranchId is { } b && Me.IsHeadOffice ? b : null;
        (DateTimeOffset, DateTimeOffset)? received = null;
        if (From is { } from && To is { } to && to >= from)
        {
            var zone = await zones.For(branch ?? Me.BranchId, ct);
            received = (Features.Sla.SlaMath.At(from, TimeOnly.MinValue, zone), Features.Sla.SlaMath.At(to.AddDays(1), TimeOnly.MinValue, zone));
        }
        else { From = null; To = null; }
        BranchId = branch;
        Items = await find.List(Me, new ComplaintQuery(string.IsNullOrEmpty(Status) ? null : Status, null, null, null, null, null, branch, 1, 100), ct, received);
        var ids = Items.Items.Where(c => c.WorkOrderId is not null).Select(c => c.WorkOrderId!.Value).ToList();
        Codes = await db.WorkOrders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        Findings = await find.Findings(Me, Items.Items.Select(c => c.Id).ToList(), ct);
        if (!CanHandle) return;
        foreach (var c in Items.Items.Where(c => c.Status == "open" && MayHandle(c)))
            Rules[c.Id] = await findings.Options(Me, c.Id, ct);
        var branches = Items.Items.Where(c => Rules.ContainsKey(c.Id)).Select(c => c.BranchId).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => branches.Contains(u.BranchId) && u.IsActive).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.BranchId, u.DisplayName, u.Roles }).ToListAsync(ct);
        Staff = people.Where(u => u.Roles.Contains(Roles.Technician) || u.Roles.Contains(Roles.Supervisor)).GroupBy(u => u.BranchId)
            .ToDictionary(g => g.Key, g => g.Select(u => (u.Id, u.DisplayName, u.Roles.Contains(Roles.Supervisor))).ToList());
    }
}

using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Evaluation;

/// <summary>
/// The supervisor (or a manager) records a violation: a rule of the order's or the month's policy, by its Chinese name with its
/// money and unit, the person (or, for a fine nobody bears alone, those present), the order, the count, a note and a photo.
/// The same use case as POST /api/violations; the cases it made are listed below. Everyone who may record a finding has
/// this page — the warehouse keeper (parts and tools), the return-visit agent and the complaint desk each see only the
/// rules they may record — and those who may read the branch's penalty cases also see its recent ones.
/// </summary>
public sealed class ViolationsModel(RecordViolation record, ManagePenaltyCases cases, AppDbContext db) : ConsolePage
{
    public static readonly string[] PageUsers = RecordViolation.Recorders;

    /// <summary>Whether the recent cases of the branch are shown: only to those who may read them (ManagePenaltyCases.List).</summary>
    public bool ShowsRecent => Me.IsAny(Roles.Manager, Roles.Admin, Roles.Dispatcher, Roles.Finance, Roles.Supervisor);

    [BindProperty] public string? RuleId { get; set; }
    [BindProperty] public int? PersonUserId { get; set; }
    [BindProperty] public List<int> PresentUserIds { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? OrderCode { get; set; }
    [BindProperty] public int? Count { get; set; }
    [BindProperty] public string? OccurredOn { get; set; }
    /// <summary>A named step of the rule's ladder the finder states ("serious", "intentional" …): DSM-06, DSM-10, DSM-13.</summary>
    [BindProperty] public string? Qualifier { get; set; }
    /// <summary>An assessed amount (a loss, a repair: PEN-52, PEN-67) or a brand's fine passed on (PEN-81 brandPenalised).</summary>
    [BindProperty] public decimal? Amount { get; set; }
    /// <summary>What the rule's formula multiplies (PEN-08: the private job's price; PEN-11: the money withheld).</summary>
    [BindProperty] public decimal? BaseAmount { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public IFormFile? Photo { get; set; }

    public IReadOnlyList<ViolationRuleOption> Rules { get; private set; } = [];
    public List<(int Id, string Name)> People { get; private set; } = [];
    public IReadOnlyList<PenaltyCaseDto> Recent { get; private set; } = [];
    public Dictionary<int, string> Names { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        Me.RequireAny("record violations", PageUsers);
        long? orderId = null;
        if (!string.IsNullOrWhiteSpace(OrderCode))
        {
            var code = OrderCode.Trim();
            orderId = await db.WorkOrders.AsNoTracking().Where(o => o.Code == code).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct);
            if (orderId is null) ModelState.AddModelError("workOrderId", T["No order has this number."]);
        }
        if (ModelState.ErrorCount == 0)
        {
            var photos = Photo is { Length: > 0 } ? new[] { await RecordViolation.DataUrl(Photo, ct) } : null;
            ViolationResult? result = null;
            if (await Attempt(async () => result = await record.Handle(Me, new RecordViolationRequest(RuleId, PresentUserIds.Count > 0 ? null : PersonUserId, orderId, Count,
                    string.IsNullOrWhiteSpace(Qualifier) ? null : Qualifier, Amount, BaseAmount, PresentUserIds.Count > 0 ? PresentUserIds : null,
                    new ViolationEvidence(Note, photos, OccurredOn)), ct)))
            {
                Flash = T["Recorded: {0} penalty cases.", result!.Cases.Count];
                return Redirect("/manage/violations");
            }
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("record violations", PageUsers);
        var orderId = string.IsNullOrWhiteSpace(OrderCode) ? null
            : await db.WorkOrders.AsNoTracking().Where(o => o.Code == OrderCode.Trim()).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct);
        Rules = RecordViolation.Options(Me, await record.PolicyFor(orderId, ct));
        var staff = await db.Users.AsNoTracking().Where(u => u.IsActive && (Me.IsHeadOffice || u.BranchId == Me.BranchId))
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, u.Roles }).Take(500).ToListAsync(ct);
        People = staff.Where(u => u.Roles.Contains(Roles.Technician)).Concat(staff.Where(u => !u.Roles.Contains(Roles.Technician)))
            .Select(u => (u.Id, u.DisplayName)).ToList();
        Names = staff.ToDictionary(u => u.Id, u => u.DisplayName);
        if (ShowsRecent) Recent = (await cases.List(Me, null, null, null, null, null, 1, 30, ct)).Items;
    }
}

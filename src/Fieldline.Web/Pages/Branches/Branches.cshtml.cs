using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Branches;

/// <summary>
/// 网点与工作日历: the branches a manager may see, and each one's working calendar — hours, lunch break, working days,
/// holidays and make-up working days — which every SLA clock counts in (ManageCalendars, the same use case as
/// PUT /api/branches/{id}/calendar). A head-office admin also opens a new branch here (GOV-08).
/// </summary>
public sealed class BranchesModel(ManageBranches branches, ManageCalendars calendars) : ConsolePage
{
    public static readonly string[] PageUsers = [Roles.Manager, Roles.Admin];

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    [BindProperty(SupportsGet = true, Name = "branch")] public int? BranchId { get; set; }

    public CalendarDto? Calendar { get; private set; }

    [BindProperty] public string? WorkStart { get; set; }
    [BindProperty] public string? WorkEnd { get; set; }
    [BindProperty] public string? LunchStart { get; set; }
    [BindProperty] public string? LunchEnd { get; set; }
    [BindProperty] public List<int> WorkingDays { get; set; } = [];
    /// <summary>One date per line (yyyy-MM-dd), as typed.</summary>
    [BindProperty] public string? Holidays { get; set; }
    [BindProperty] public string? ExtraWorkingDays { get; set; }
    [BindProperty] public int? Version { get; set; }

    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewTimeZone { get; set; }
    [BindProperty] public int? NewParentId { get; set; }

    public bool MayCreate => Me.Is(Roles.Admin) && Me.IsHeadOffice;

    public async Task OnGet(CancellationToken ct) => await Load(fill: true, ct);

    public async Task<IActionResult> OnPostCalendar(CancellationToken ct)
    {
        Me.RequireAny("change the branch calendar", PageUsers);
        var holidays = Dates(Holidays, "holidays");
        var extra = Dates(ExtraWorkingDays, "extraWorkingDays");
        if (ModelState.ErrorCount == 0 && BranchId is { } id
            && await Attempt(() => calendars.Put(Me, id, new CalendarRequest(WorkStart, WorkEnd, Empty(LunchStart), Empty(LunchEnd), WorkingDays, holidays, extra, Version), ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/manage/branches?branch={id}");
        }
        Problem ??= T["Please correct the fields marked below."];
        await Load(fill: false, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreate(CancellationToken ct)
    {
        BranchDto? created = null;
        if (await Attempt(async () => created = await branches.Create(Me, new CreateBranchRequest(NewName, NewParentId, Empty(NewTimeZone)), ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/manage/branches?branch={created!.Id}");
        }
        await Load(fill: true, ct);
        return Page();
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The typed dates, one per line or separated by commas; a line that is not a date is reported on its field.</summary>
    private List<DateOnly> Dates(string? typed, string field)
    {
        var dates = new List<DateOnly>();
        foreach (var part in (typed ?? "").Split(['\n', '\r', ',', '，', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (DateOnly.TryParseExact(part, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) dates.Add(d);
            else ModelState.AddModelError(field, T["'{0}' is not a date (yyyy-MM-dd).", part]);
        }
        return dates;
    }

    private async Task Load(bool fill, CancellationToken ct)
    {
        Me.RequireAny("change the branch calendar", PageUsers);
        Branches = (await branches.List(Me, ct)).Where(b => Me.CanSeeBranch(b.Id)).ToList();
        BranchId ??= Branches.Any(b => b.Id == Me.BranchId) ? Me.BranchId : Branches.Count > 0 ? Branches[0].Id : null;
        if (BranchId is not { } id || Branches.All(b => b.Id != id)) { BranchId = null; return; }
        Calendar = await calendars.Get(Me, id, ct);
        if (!fill) return; // a refused form keeps what was typed
        (WorkStart, WorkEnd, LunchStart, LunchEnd) = (Calendar.WorkStart, Calendar.WorkEnd, Calendar.LunchStart, Calendar.LunchEnd);
        WorkingDays = Calendar.WorkingDays.ToList();
        Holidays = string.Join('\n', Calendar.Holidays.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        ExtraWorkingDays = string.Join('\n', Calendar.ExtraWorkingDays.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Version = Calendar.Version;
    }
}

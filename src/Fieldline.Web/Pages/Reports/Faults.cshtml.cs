using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Reports;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Reports;

/// <summary>RPT-06 fault statistics for managers and supervisors: fault categories per product model and month, rising models first (as /api/reports/faults).</summary>
public sealed class FaultsModel(ComputeFaults faults, AppDbContext db) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>The last day shown, inclusive.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    public FaultStatistics? Stats { get; private set; }
    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        Me.RequireAny("see reports", ComputeKpis.Readers);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        else BranchId = null;
        FaultStatistics? stats = null;
        if (!await Attempt(async () => stats = await faults.Handle(Me, From, To?.AddDays(1), BranchId, ct)))
            stats = await faults.Handle(Me, null, null, BranchId, ct);
        Stats = stats;
        From = stats!.From;
        To = stats.To.AddDays(-1);
    }
}

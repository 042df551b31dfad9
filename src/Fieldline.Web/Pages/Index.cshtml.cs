using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages;

/// <summary>The manager's morning page: today's figures for the branch (head office: the company or a branch).</summary>
public sealed class IndexModel(SummariseToday summarise, AppDbContext db) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public int? BranchId { get; set; }

    public TodayDto? Today { get; private set; }

    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!Me.IsAny(Roles.Office)) return Redirect("/orders");
        Today = await summarise.Handle(Me, BranchId, ct);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        return Page();
    }

    public Task<IActionResult> OnGetFigures(CancellationToken ct) => OnGet(ct);
}

using Fieldline.Web.Features.Quality;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Quality;

/// <summary>
/// The supervisor's review of on-site flags (INS-01, PEN-52, SC-20, ONS-22): the branch's flags, open first, with what the
/// check saw; confirm (a wrong model installed proposes the policy's fine, the assessed cost at least the minimum) or dismiss
/// with the reason.
/// </summary>
public sealed class FlagsModel(FindQualityFlags find, ReviewQualityFlag review) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "open";

    public Page<QualityFlagDto> Flags { get; private set; } = new([], 0);
    public Dictionary<int, Infrastructure.Localization.DataText> Facts { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostConfirm(long id, string? note, decimal? assessedCost, int? version, CancellationToken ct)
    {
        if (await Attempt(() => review.Confirm(Me, id, new ConfirmQualityFlagRequest(note, assessedCost, version), null, ct)))
        {
            Flash = T["Confirmed."];
            return Redirect($"/quality/flags?status={Status}");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDismiss(long id, string? note, int? version, CancellationToken ct)
    {
        if (await Attempt(() => review.Dismiss(Me, id, new DismissQualityFlagRequest(note, version), null, ct)))
        {
            Flash = T["Dismissed."];
            return Redirect($"/quality/flags?status={Status}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        if (!await Attempt(async () => Flags = await find.Handle(Me, new QualityFlagQuery(null, string.IsNullOrEmpty(Status) ? null : Status, null, 1, 200), ct)))
        {
            Me.RequireAny("review quality flags", FindQualityFlags.Reviewers);
            Flags = await find.Handle(Me, new QualityFlagQuery(null, null, null, 1, 200), ct);
        }
        foreach (var branch in Flags.Items.Select(f => f.BranchId).Distinct()) Facts[branch] = await DataTextFor(branch, ct);
    }
}

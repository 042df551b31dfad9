using Fieldline.Web.Features.Quality;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Quality;

/// <summary>
/// 客户确认书 (INS-03/09/16, ONS-09): the customers' signed confirmations the technicians took on installations, for the
/// keepers — the dispatcher, and the materials administrator where the policy gives them the pre-laid pipe ones — to file
/// the signed originals; the supervisor and managers read them. The same use cases as /api/customer-confirmations.
/// </summary>
public sealed class ConfirmationsModel(FindConfirmations find, FileConfirmation file) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "pending";

    public Page<ConfirmationDto> Confirmations { get; private set; } = new([], 0);

    /// <summary>Whether the caller may file <paramref name="c"/>: its keeper, or a manager.</summary>
    public bool MayFile(ConfirmationDto c) => c.Status == "pending"
        && Me.IsAny(Features.Identity.Roles.Manager, Features.Identity.Roles.Admin, c.KeeperRole);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostFile(long id, int? version, CancellationToken ct)
    {
        if (await Attempt(() => file.Handle(Me, id, new FileConfirmationRequest(version), null, ct)))
        {
            Flash = T["Filed."];
            return Redirect($"/quality/confirmations?status={Status}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        if (!await Attempt(async () => Confirmations = await find.Handle(Me, new ConfirmationQuery(null, string.IsNullOrEmpty(Status) ? null : Status, null, 1, 200), ct)))
        {
            Me.RequireAny("read customer confirmations", FindConfirmations.Readers);
            Confirmations = await find.Handle(Me, new ConfirmationQuery(null, null, null, 1, 200), ct);
        }
    }
}

using Fieldline.Web.Features.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Claims;

/// <summary>Claims to the brand (WAR-05/09, KPI-04): submit one for a completed in-warranty order with its evidence, record the brand's answer, see the approval rate.</summary>
public sealed class ClaimsModel(FindWarrantyClaims find, SubmitWarrantyClaim submit, DecideWarrantyClaim decide) : ConsolePage
{
    public static readonly string[] PageUsers = FindWarrantyClaims.Readers;

    [BindProperty] public long? WorkOrderId { get; set; }
    [BindProperty] public string? Brand { get; set; }
    [BindProperty] public decimal? LabourAmount { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public string? OldParts { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public WarrantyClaimList List { get; private set; } = new([], 0, 0, 0, 0, null);
    public bool CanSubmit => Me.IsAny(SubmitWarrantyClaim.Submitters);
    public bool CanDecide => Me.IsAny(DecideWarrantyClaim.Deciders);
    public IEnumerable<string> Errors => ModelState.Values.SelectMany(e => e.Errors).Select(e => e.ErrorMessage);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public Task<IActionResult> OnPostSubmit(CancellationToken ct) => Run(async () =>
    {
        var claim = await submit.Handle(Me, new WarrantyClaimRequest(WorkOrderId, Brand, LabourAmount, Description, Ids(Evidence), Ids(OldParts)), ct);
        Flash = T["Claim {0} submitted to the brand.", claim.Id];
    }, ct);

    public Task<IActionResult> OnPostDecide(long id, bool approved, CancellationToken ct) => Run(async () =>
    {
        await decide.Handle(Me, id, new WarrantyClaimDecision(approved, Reason), null, ct);
        Flash = T["The brand's answer is recorded."];
    }, ct);

    private static List<long> Ids(string? text) => (text ?? "").Split([',', '，', ' ', '、'], StringSplitOptions.RemoveEmptyEntries)
        .Select(s => long.TryParse(s, out var v) ? v : -1).ToList();

    private async Task<IActionResult> Run(Func<Task> action, CancellationToken ct)
    {
        Me.RequireAny("read warranty claims", PageUsers);
        if (await Attempt(action)) return Redirect("/claims");
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct) => List = await find.List(Me, null, null, ct);
}

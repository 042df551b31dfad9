using System.Globalization;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Billing;

/// <summary>
/// Finance's page (/finance, SC-24, FEE-05): cash on hand per technician of the branch (collected minus handed in), the
/// hand-ins declared and waiting for finance to confirm with a receipt number, and the money overdue; the refunds proposed
/// to customers. The same use cases as <c>/api/cash</c> and <c>/api/refunds</c>.
/// </summary>
public sealed class FinanceModel(FindCashOnHand cash, ConfirmHandIn confirm, DeclareHandIn declare, DecideRefund refunds) : ConsolePage
{
    public static readonly string[] PageUsers = [Roles.Finance, Roles.Manager, Roles.Admin];

    public IReadOnlyList<CashOnHandDto> People { get; private set; } = [];
    public IReadOnlyList<HandInDto> Waiting { get; private set; } = [];
    public IReadOnlyList<RefundDto> Refunds { get; private set; } = [];
    public Dictionary<int, string> Names { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public Task<IActionResult> OnPostConfirm(long id, string? receiptNumber, string? amount, int? version, CancellationToken ct) => Run(async () =>
    {
        var done = await confirm.Handle(Me, id, new ConfirmHandInRequest(receiptNumber, Money(amount), version), null, ct);
        Flash = T["Hand-in {0} confirmed with receipt {1}.", done.Id, done.ReceiptNumber!];
    }, ct);

    public Task<IActionResult> OnPostDeclare(int technicianId, CancellationToken ct) => Run(async () =>
    {
        var made = await declare.Handle(Me, new DeclareHandInRequest(technicianId, null), ct);
        Flash = T["Hand-in {0} of {1} recorded; confirm it with the receipt number.", made.Id, Format(made.Amount)];
    }, ct);

    public Task<IActionResult> OnPostRefund(long id, bool approve, string? note, int? version, CancellationToken ct) => Run(async () =>
    {
        await refunds.Handle(Me, id, new RefundDecision(approve, note, version), ct);
        Flash = T["Saved."];
    }, ct);

    public static string Format(decimal amount) => "¥" + amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    private async Task<IActionResult> Run(Func<Task> action, CancellationToken ct)
    {
        Me.RequireAny("open the finance desk", PageUsers);
        if (await Attempt(action)) return Redirect("/finance");
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("open the finance desk", PageUsers);
        People = (await cash.Handle(Me, null, ct)).Where(p => p.Collected > 0).OrderByDescending(p => p.Overdue).ThenByDescending(p => p.OnHand).ToList();
        Names = People.ToDictionary(p => p.TechnicianId, p => p.Name);
        Waiting = await confirm.List(Me, "declared", ct);
        Refunds = Me.IsAny(DecideRefund.Readers) ? await refunds.List(Me, "proposed", ct) : [];
    }

    private static decimal? Money(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
}

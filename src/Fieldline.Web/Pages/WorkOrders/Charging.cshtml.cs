using System.Globalization;
using System.Text.Json;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.WorkOrders;

/// <summary>
/// An order's charges under the regulation (/orders/{id}/charging), for the supervisor and the managers:
/// <list type="bullet">
/// <item>FEE-04 (SC-23): while the work is open, the supervisor approves one charge line above the cap (or free text
/// without a price code), with a reason; the technician's completion then saves the matching line, flagged;</item>
/// <item>FEE-08 / PEN-87 / PEN-10: after the work, a charge found wrong (in warranty, or above 2× the standard) is recorded;
/// the fine goes to the technician and a refund to the customer is proposed for the manager (listed on /finance).</item>
/// </list>
/// A page of its own rather than more forms on the order page: both steps belong to few people and need room for their fields.
/// The same use cases as the API (<see cref="ApprovePrice"/>, <see cref="RecordChargeFinding"/>), so role and branch are checked there.
/// </summary>
public sealed class ChargingModel(FindWorkOrders find, ApprovePrice approve, RecordChargeFinding findings, AppDbContext db, BranchZones zones) : ConsolePage
{
    /// <summary>Who opens the page: whoever may do either step.</summary>
    public static readonly string[] PageUsers = ApprovePrice.Approvers.Union(RecordChargeFinding.Finders).ToArray();

    public WorkOrderDto Order { get; private set; } = null!;
    public string? TechnicianName { get; private set; }
    public IReadOnlyList<Approval> Approvals { get; private set; } = [];
    public IReadOnlyList<RefundDto> Refunds { get; private set; } = [];
    public IReadOnlyList<PriceItem> PriceList { get; private set; } = [];

    /// <summary>A price approval as the timeline recorded it (time already in the branch's zone).</summary>
    public sealed record Approval(DateTimeOffset At, string By, string? PriceCode, string? PartNumber, string? Description, decimal Amount, string Reason);

    /// <summary>FEE-04: a technician's request from the phone that no approval of the same item, for at least the amount, has answered yet.</summary>
    public sealed record Asked(DateTimeOffset At, string By, string PriceCode, decimal Amount, string Reason)
    {
        /// <summary>The price item's name, as the reader knows it (the code is for programs).</summary>
        public string Name { get; init; } = PriceCode;
    }
    public IReadOnlyList<Asked> Requests { get; private set; } = [];

    /// <summary>ApprovePrice refuses an order not yet dispatched or already done; the form is offered only where it would be accepted.</summary>
    public bool CanApprove => Me.IsAny(ApprovePrice.Approvers) && Order.Status is not ("new" or "returned" or "completed" or "visited" or "closed" or "cancelled");

    /// <summary>A finding is about money already collected: after the work, on an order with a technician.</summary>
    public bool CanRecordFinding => Me.IsAny(RecordChargeFinding.Finders) && Order.Status is "completed" or "visited" or "closed" && Order.TechnicianId is not null;

    public async Task OnGet(long id, CancellationToken ct) => await Load(id, ct);

    public async Task<IActionResult> OnPostApprove(long id, string? reference, string? priceCode, string? partNumber, string? description, string? amount, string? reason,
        int? version, CancellationToken ct)
    {
        // One reference at a time, as the request wants it: the chosen kind decides which of the three fields is sent.
        var request = new PriceApprovalRequest(reference == "priceCode" ? priceCode : null, reference == "partNumber" ? partNumber : null,
            reference == "description" ? description : null, Money(amount), reason, version);
        if (await Attempt(() => approve.Handle(Me, id, request, null, ct)))
        {
            Flash = T["The price was approved; the technician's matching line up to {0} is saved and flagged.", Text.Money(request.Amount!.Value)];
            return Redirect($"/orders/{id}/charging");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFinding(long id, string? kind, string? collected, string? standardPrice, string? source, string? note, CancellationToken ct)
    {
        ChargeFindingResult? result = null;
        var request = new ChargeFindingRequest(kind, Money(collected), kind == "overcharge" ? Money(standardPrice) : null, string.IsNullOrEmpty(source) ? null : source, note);
        if (await Attempt(async () => result = await findings.Handle(Me, id, request, ct)))
        {
            Flash = T["The finding was recorded: a refund of {0} to the customer waits for the manager ({1}).", Text.Money(result!.Refund.Amount), result.Refund.RuleId];
            return Redirect($"/orders/{id}/charging");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>
    /// An amount as typed: a number with a point (¥ and thousands commas allowed); anything else stays as typed and is
    /// sent as an impossible amount so the use case names the field.
    /// </summary>
    private static decimal? Money(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var clean = text.Trim().TrimStart('¥', '￥').Replace(",", "", StringComparison.Ordinal);
        return decimal.TryParse(clean, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : -1m;
    }

    private async Task Load(long id, CancellationToken ct)
    {
        Me.RequireAny("review the charges of", PageUsers);
        Order = await find.Get(Me, id, ct);
        if (Order.TechnicianId is { } tid)
            TechnicianName = await db.Technicians.AsNoTracking().Where(t => t.Id == tid).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
        Approvals = Order.Timeline.Where(t => t.Action == "priceApproved").OrderByDescending(t => t.At).Select(t =>
        {
            var a = t.Data.Deserialize<PriceApproval>(TimelineEntry.JsonOptions)!;
            return new Approval(t.At, t.Actor, a.PriceCode, a.PartNumber, a.Description, a.Amount, a.Reason);
        }).ToList();
        Requests = Order.Timeline.Where(t => t.Action == "priceApprovalRequested").Select(t => new Asked(t.At, t.Actor,
                t.Data.GetProperty("priceCode").GetString() ?? "", t.Data.GetProperty("amount").GetDecimal(), t.Data.GetProperty("reason").GetString() ?? ""))
            .Where(q => !Approvals.Any(a => a.At >= q.At && a.PriceCode == q.PriceCode && a.Amount >= q.Amount)).ToList();
        if (Requests.Count > 0)
        {
            var codes = Requests.Select(q => q.PriceCode).Distinct().ToList();
            var names = await db.PriceItems.AsNoTracking().Where(p => codes.Contains(p.Code)).ToDictionaryAsync(p => p.Code, p => p.Name, ct);
            Requests = Requests.Select(q => q with { Name = names.GetValueOrDefault(q.PriceCode, q.PriceCode) }).ToList();
        }
        var zone = await zones.For(Order.BranchId, ct);
        Refunds = (await db.CustomerRefunds.AsNoTracking().Where(r => r.WorkOrderId == id).OrderByDescending(r => r.Id).ToListAsync(ct))
            .Select(r => RefundDto.From(r, zone)).ToList();
        if (CanApprove)
        {
            var line = Order.Product.ProductLine;
            PriceList = await db.PriceItems.AsNoTracking().Where(p => p.Active && (p.ProductLine == null || p.ProductLine == line)).OrderBy(p => p.Code).ToListAsync(ct);
        }
        var logins = Approvals.Select(a => a.By).Concat(Requests.Select(q => q.By)).Concat(Refunds.Select(r => r.ProposedBy)).Concat(Order.Charges.Where(c => c.OverrideBy is not null).Select(c => c.OverrideBy!))
            .Distinct().ToList();
        Names = await db.Users.AsNoTracking().Where(u => logins.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
    }

    private Dictionary<string, string> Names { get; set; } = [];

    /// <summary>A user by name (the timeline and refunds record usernames).</summary>
    public string NameOf(string? userName) => userName is null ? "" : Names.GetValueOrDefault(userName, userName);

    /// <summary>What the form sent back (re-rendered after an error, so nothing typed is lost).</summary>
    public string Sent(string field) => Request.HasFormContentType ? Request.Form[field].ToString() : "";
}

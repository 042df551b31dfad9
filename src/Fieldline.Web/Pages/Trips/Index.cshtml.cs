using Fieldline.Web.Features.Trips;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Trips;

/// <summary>
/// Service trips (/trips, 第15篇): the branch's trips, newest first, with the reports waiting for the supervisor on top,
/// and the form that sends a technician on one (the same use case as <c>POST /api/trips</c>).
/// </summary>
public sealed class IndexModel(FindTrips trips, SendOnTrip send, AppDbContext db) : ConsolePage
{
    public sealed record Person(int Id, string Name);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public IReadOnlyList<TripDto> Trips { get; private set; } = [];
    public IReadOnlyList<TripDto> Waiting { get; private set; } = [];
    public IReadOnlyList<Person> People { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>What was typed into the send form, shown again when it is refused: nothing typed is lost.</summary>
    public SendOnTripForm Typed { get; private set; } = new(null, null, null, null);

    public sealed record SendOnTripForm(int? TechnicianId, string? Destination, string? Purpose, string? OrderCode);

    public async Task<IActionResult> OnPostSend(int? technicianId, string? destination, string? purpose, string? orderCode, CancellationToken ct)
    {
        Typed = new SendOnTripForm(technicianId, destination, purpose, orderCode);
        long? orderId = null;
        var code = orderCode?.Trim();
        // A number nobody has goes to the use case as an order that does not exist (-1), which refuses it in its turn; the
        // refusal is said of the number as it was typed, beside its field, never of an internal id.
        if (!string.IsNullOrEmpty(code))
            orderId = await db.WorkOrders.AsNoTracking().Where(o => o.Code == code && (Me.IsHeadOffice || o.BranchId == Me.BranchId))
                .Select(o => (long?)o.Id).FirstOrDefaultAsync(ct) ?? -1;
        TripDto? sent = null;
        if (await Attempt(async () => sent = await send.Handle(Me, new SendOnTripBody(technicianId, destination, purpose, orderId), ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/trips/{sent!.Id}");
        }
        if (ModelState.Remove("workOrderId")) ModelState.AddModelError("orderCode", T.Say(Msg.Of("Order number {1} does not exist.", Msg.Field("orderCode"), code)));
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read service trips", FindTrips.Senders);
        Trips = (await trips.List(Me, null, Status, false, 1, 100, ct)).Items;
        Waiting = (await trips.List(Me, null, "returned", false, 1, 100, ct)).Items;
        People = await db.Technicians.AsNoTracking().Where(t => t.User!.IsActive && (Me.IsHeadOffice || t.BranchId == Me.BranchId))
            .OrderBy(t => t.Id).Take(500).Select(t => new Person(t.Id, t.User!.DisplayName)).ToListAsync(ct);
    }
}

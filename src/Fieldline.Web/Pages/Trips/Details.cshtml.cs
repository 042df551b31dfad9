using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Trips;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Trips;

/// <summary>
/// One service trip (/trips/{id}): what it was for, the arrival report (PRJ-21), the daily log with its suggestions and
/// the days without an entry (PRJ-27), the trip report; for the supervisor and managers, once it is handed in, the review —
/// the rest period (ATT-20) and the suggestions adopted with their reward (RWD-08). The same use cases as the API.
/// </summary>
public sealed class DetailsModel(FindTrips trips, ReviewTrip review, TransferTripOrders transfers) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public TripDto Trip { get; private set; } = null!;
    public bool CanReview => Me.IsAny(FindTrips.Reviewers) && Trip.Status == "returned";

    /// <summary>While the person is away: the orders still assigned to them, each with whom it may go to, for the dispatcher to transfer.</summary>
    public IReadOnlyList<LeftBehindOrder> LeftBehind { get; private set; } = [];

    /// <summary>The dispatcher and the manager transfer orders (DSP-11); the others see the list.</summary>
    public bool CanTransfer => Me.IsAny(TransferWorkOrder.AllowedRoles);

    /// <summary>What the dispatcher chose in the transfer form, kept when it is refused: the technician per order, the reason.</summary>
    public Dictionary<long, int?> Chosen { get; } = [];
    public string? TransferReason { get; private set; }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Trip = await trips.Get(Me, Id, ct);
        if (Trip.Status is "underway" or "onSite") LeftBehind = await transfers.Form(Trip, ct);
    }

    /// <summary>The orders left behind, each to the person chosen in its row (a row left on “keep” stays); the same use case as <c>POST /api/trips/{id}/transfers</c>.</summary>
    public async Task<IActionResult> OnPostTransfer(string? reason, long[]? order, CancellationToken ct)
    {
        TransferReason = reason;
        var rows = new List<TripOrderTransfer?>();
        var unreadable = false;
        foreach (var id in order ?? [])
        {
            int? tech = int.TryParse(Request.Form[$"technician-{id}"], out var t) ? t : null;
            // A version sent but unreadable is refused, never read as "no version" (which would skip the concurrency check).
            var sentVersion = Request.Form[$"version-{id}"].ToString();
            int? version = int.TryParse(sentVersion, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ver) ? ver : null;
            if (version is null && sentVersion.Length > 0) unreadable = true;
            Chosen[id] = tech;
            if (tech is not null) rows.Add(new TripOrderTransfer(id, tech, version));
        }
        TripTransfersDto? done = null;
        if (unreadable) Problem = T.Say(Msg.Of("{0} must be a whole number.", Msg.Field("version")));
        else if (rows.Count == 0) Problem = T["Choose who takes over at least one of the orders."];
        else if (await Attempt(async () => done = await transfers.Handle(Me, Id, new TransferTripOrdersBody(reason, rows), ct)))
        {
            Flash = T["Transferred: {0}.", string.Join("、", done!.Transferred.Select(o => o.Code))];
            return Redirect($"/trips/{Id}");
        }
        await Load(ct);
        return Page();
    }

    /// <summary>A refusal of one row (orders[2].technicianId) shown in that row: the index is the row among those sent.</summary>
    public string? RowError(long orderId)
    {
        var sent = Chosen.Where(c => c.Value is not null).Select(c => c.Key).ToList();
        var i = sent.IndexOf(orderId);
        if (i < 0) return null;
        return ModelState.Where(m => m.Key.StartsWith($"orders[{i}].", StringComparison.Ordinal)).SelectMany(m => m.Value!.Errors).Select(e => e.ErrorMessage).FirstOrDefault();
    }

    /// <summary>The review form as it was sent, shown again when it is refused (ticks, rewards, rest, note): nothing typed is lost.</summary>
    public IFormCollection? ReviewTyped { get; private set; }

    public async Task<IActionResult> OnPostReview(int? restDays, DateOnly? restFrom, string? note, long[]? adopt, CancellationToken ct)
    {
        ReviewTyped = Request.Form;
        var adopted = (adopt ?? []).Select(logId => new AdoptedSuggestion(logId,
            decimal.TryParse(Request.Form[$"reward-{logId}"], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : null)).ToList();
        if (await Attempt(() => review.Handle(Me, Id, new ReviewTripBody(restDays, restFrom, note, adopted), ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/trips/{Id}");
        }
        await Load(ct);
        return Page();
    }
}

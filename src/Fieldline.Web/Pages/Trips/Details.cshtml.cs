using Fieldline.Web.Features.Trips;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Trips;

/// <summary>
/// One service trip (/trips/{id}): what it was for, the arrival report (PRJ-21), the daily log with its suggestions and
/// the days without an entry (PRJ-27), the trip report; for the supervisor and managers, once it is handed in, the review —
/// the rest period (ATT-20) and the suggestions adopted with their reward (RWD-08). The same use cases as the API.
/// </summary>
public sealed class DetailsModel(FindTrips trips, ReviewTrip review) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public TripDto Trip { get; private set; } = null!;
    public bool CanReview => Me.IsAny(FindTrips.Reviewers) && Trip.Status == "returned";

    /// <summary>While the person is away: the orders still assigned to them, for the dispatcher to transfer.</summary>
    public IReadOnlyList<(long Id, string Code)> LeftBehind { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Trip = await trips.Get(Me, Id, ct);
        if (Trip.Status is "underway" or "onSite") LeftBehind = await trips.OrdersLeftBehind(Trip.TechnicianId, Trip.WorkOrderId, ct);
    }

    public async Task<IActionResult> OnPostReview(int? restDays, DateOnly? restFrom, string? note, long[]? adopt, CancellationToken ct)
    {
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

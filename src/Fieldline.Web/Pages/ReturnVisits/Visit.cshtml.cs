using System.Text.Json;
using Fieldline.Web.Features.ReturnVisits;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.ReturnVisits;

/// <summary>
/// One return visit: the customer to call, the order's own charge lines and invoice beside the script of its policy, the
/// earlier attempts, and the form that records the outcome, each answer, satisfaction and remarks (the same use case as
/// <c>POST /api/work-orders/{id}/return-visit</c>).
/// </summary>
public sealed class VisitModel(FindDueVisits find, RecordReturnVisit record, Infrastructure.Data.AppDbContext db) : ConsolePage
{
    /// <summary>ONS-12 (variant): the meal the technician reported, shown beside the question on water and cigarettes.</summary>
    public string? MealReport { get; private set; }

    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public string Outcome { get; set; } = RecordReturnVisit.Reached;
    [BindProperty] public int? Satisfaction { get; set; }
    [BindProperty] public string? Remarks { get; set; }
    [BindProperty] public Dictionary<string, string> Answers { get; set; } = [];

    public DueVisitDto Order { get; private set; } = null!;
    public IReadOnlyList<ReturnVisitDto> Attempts { get; private set; } = [];
    /// <summary>The order's status: completed while the follow-up runs; visited or closed once it ended.</summary>
    public Features.WorkOrders.WorkOrderStatus Status { get; private set; }
    /// <summary>The follow-up ended because every try the policy allows went unanswered (RV-09): the manager closes the order.</summary>
    public bool EndedUnreached => Status == Features.WorkOrders.WorkOrderStatus.Visited && Attempts.Count > 0 && Attempts[^1].Outcome == RecordReturnVisit.Unreachable;
    /// <summary>While the follow-up runs; after it ended unreached, only the customer's later answer (reached) until the order is closed.</summary>
    public bool CanRecord => Me.IsAny(RecordReturnVisit.AllowedRoles) && (Status == Features.WorkOrders.WorkOrderStatus.Completed || EndedUnreached);

    /// <summary>The outcomes the form offers.</summary>
    public IReadOnlyList<string> Outcomes => EndedUnreached ? [RecordReturnVisit.Reached] : [RecordReturnVisit.Reached, RecordReturnVisit.Unreachable, RecordReturnVisit.Refused];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostRecord(CancellationToken ct)
    {
        VisitResult? result = null;
        var answers = Answers.Where(a => !string.IsNullOrWhiteSpace(a.Value))
            .ToDictionary(a => a.Key, a => a.Value.Trim() is "yes" or "no" ? JsonSerializer.SerializeToElement(a.Value.Trim())
                : decimal.TryParse(a.Value.Trim(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) ? JsonSerializer.SerializeToElement(d)
                : JsonSerializer.SerializeToElement(a.Value.Trim()));
        if (await Attempt(async () => result = await record.Record(Me, Id,
                new ReturnVisitRequest(Outcome, Outcome == RecordReturnVisit.Reached ? answers : null, Outcome == RecordReturnVisit.Reached ? Satisfaction : null, Remarks, null), null, ct)))
        {
            Flash = Outcome == RecordReturnVisit.Unreachable && result!.Order.Status != "completed"
                ? T["Not reached on the last call allowed: the return visit has ended and the order waits for the manager to close it."]
                : result!.Fines.Count == 0 ? T["Return visit recorded."]
                : T["Return visit recorded; fines confirmed: {0}.", T.Say(Msg.Join(result.Fines))];
            return Redirect("/return-visits");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Order = await find.One(Me, Id, ct);
        Attempts = await find.History(Me, Id, ct);
        Status = await db.WorkOrders.AsNoTracking().Where(o => o.Id == Id).Select(o => o.Status).FirstAsync(ct);
        var meal = await db.Timeline.AsNoTracking().Where(t => t.WorkOrderId == Id && t.Action == "mealReported").Select(t => t.DataJson).FirstOrDefaultAsync(ct);
        MealReport = meal is null ? null : JsonDocument.Parse(meal).RootElement.GetProperty("note").GetString();
    }

    /// <summary>What the form shows as chosen for a question: the answer just sent back with an error, else nothing.</summary>
    public string? Given(string key) => Answers.TryGetValue(key, out var v) ? v : null;
}

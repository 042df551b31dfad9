using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.WorkOrders;

/// <summary>
/// One order, all of it: facts, the timeline (who, when, where), the clocks with pauses and breaches, photos and the
/// signature, parts and charges, and the penalty cases it caused. Read through the API's use cases, so a technician sees
/// only their own orders and a branch only its own (anything else is a 404).
/// </summary>
public sealed class DetailsModel(FindWorkOrders find, FindBreaches breaches, ManagePenaltyCases penalties, UploadAttachment attachments,
    CancelWorkOrder cancel, Features.Complaints.FindComplaints complaints, AppDbContext db, TimeProvider clock, Infrastructure.Blobs.IBlobStore blobs) : ConsolePage
{
    public WorkOrderDto Order { get; private set; } = null!;
    public IReadOnlyList<BreachDto> Breaches { get; private set; } = [];
    public IReadOnlyList<PenaltyCaseDto> Penalties { get; private set; } = [];
    public IReadOnlyList<Features.Complaints.ComplaintSummaryDto> Complaints { get; private set; } = [];
    /// <summary>What each complaint about the order established (the fines it found, against whom).</summary>
    public Dictionary<long, IReadOnlyList<Features.Complaints.FindingDto>> Findings { get; private set; } = [];
    public Dictionary<int, string> People { get; private set; } = [];
    public string? TechnicianName { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGet(long id, CancellationToken ct) => await Load(id, ct);

    /// <summary>A photo or the signature, with the same visibility check as the order.</summary>
    public async Task<IActionResult> OnGetAttachment(long id, long attachmentId, CancellationToken ct)
    {
        var a = await attachments.Read(Me, id, attachmentId, ct);
        return File(await Infrastructure.Blobs.AttachmentBlobs.ContentOf(blobs, a, ct), a.ContentType);
    }

    public async Task<IActionResult> OnPostCancel(long id, string? reason, int? version, CancellationToken ct)
    {
        if (await Attempt(() => cancel.Handle(Me, id, new ReasonRequest(reason, version), null, ct)))
        {
            Flash = T["The order was cancelled."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    private async Task Load(long id, CancellationToken ct)
    {
        Order = await find.Get(Me, id, ct);
        Breaches = (await breaches.Handle(Me, new BreachQuery(id, null, null, null, null, true, null, null, 1, 100), ct)).Items;
        if (Me.IsAny(ManagePenaltyCases.Deciders) || Me.IsAny(Roles.Dispatcher, Roles.Finance) || Me.IsOnlyTechnician)
            Penalties = (await penalties.List(Me, null, null, null, id, null, 1, 100, ct)).Items;
        Complaints = (await complaints.List(Me, new Features.Complaints.ComplaintQuery(null, null, null, null, id, null, null, 1, 50), ct)).Items;
        Findings = await complaints.Findings(Me, Complaints.Select(c => c.Id).ToList(), ct);
        var ids = Penalties.Select(p => p.PersonUserId).Concat(Breaches.Where(b => b.ResponsibleUserId is not null).Select(b => b.ResponsibleUserId!.Value)).Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        if (Order.TechnicianId is { } tid)
            TechnicianName = await db.Technicians.AsNoTracking().Where(t => t.Id == tid).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
    }

    public bool CanCancel => Me.IsAny(Roles.Admin, Roles.Manager, Roles.Dispatcher, Roles.InfoClerk)
        && Order.Status is "new" or "dispatched" or "accepted" or "scheduled";

    /// <summary>The timeline entry's data, compact, for the eye (it is encoded on output like everything else).</summary>
    /// <summary>
    /// An entry's or case's data as one line; times in it (stored as UTC ISO-8601) are shown at <paramref name="offset"/>,
    /// the branch's offset, as the rest of the page.
    /// </summary>
    public static string Data(System.Text.Json.JsonElement data, TimeSpan offset)
    {
        if (data.ValueKind != System.Text.Json.JsonValueKind.Object) return "";
        return string.Join(" · ", Parts(data, "", offset));
    }

    // Nested objects (a complaint inside a case's evidence) read as "complaint.type: lateContact", not as raw JSON.
    private static IEnumerable<string> Parts(System.Text.Json.JsonElement data, string prefix, TimeSpan offset) =>
        data.EnumerateObject().Where(p => p.Value.ValueKind is not System.Text.Json.JsonValueKind.Null).SelectMany(p => p.Value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Object => Parts(p.Value, $"{prefix}{p.Name}.", offset),
            System.Text.Json.JsonValueKind.String => [$"{prefix}{p.Name}: {Local(p.Value.GetString()!, offset)}"],
            _ => [$"{prefix}{p.Name}: {p.Value.GetRawText()}"],
        });

    private static string Local(string text, TimeSpan offset) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
        && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToOffset(offset).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
            : text;
}

using System.Globalization;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.WorkOrders;

/// <summary>What the clerk sees about the caller: the customer, their products with warranty, their past orders.</summary>
public sealed record CallerView(string? Phone, bool PhoneValid, CustomerDto? Customer, IReadOnlyList<WorkOrderSummaryDto> Orders,
    IReadOnlyList<Features.Complaints.ComplaintSummaryDto> Complaints, string? SelectedSerial,
    string? NewName, string? NewAddress, ConsolePage Page)
{
    /// <summary>The customer's orders still open, by the registered product they are for: a second call about it is most likely a chase, not a new job.</summary>
    public IReadOnlyDictionary<int, (long Id, string Code)> OpenByProduct { get; init; } = new Dictionary<int, (long, string)>();
}

/// <summary>
/// Taking a call (INT-02/03): the phone number finds the customer at once; a new caller is registered inline; the request
/// is saved through the same <see cref="CreateWorkOrder"/> use case as the API, so the policy's required fields apply.
/// </summary>
public sealed class IntakeModel(ManageCustomers customers, FindWorkOrders orders, Features.Complaints.FindComplaints complaints, CreateWorkOrder create, BranchZones zones,
    Features.Maps.MapOptions maps, Infrastructure.Data.AppDbContext db, Features.Policy.PolicyStore policies, TimeProvider clock) : ConsolePage
{
    public static readonly string[] ProductLines = ["ac", "purifier", "waterHeater", "kitchen", "medical", "equipment"];

    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public int? CustomerId { get; set; }
    [BindProperty] public string? NewName { get; set; }
    [BindProperty] public string? NewAddress { get; set; }
    /// <summary>The new caller's pin, as the map drew it (_PinDrop.cshtml); stored in WGS-84.</summary>
    [BindProperty] public double? NewLat { get; set; }
    [BindProperty] public double? NewLng { get; set; }
    [BindProperty] public string? ProductSerial { get; set; }
    [BindProperty] public string? ProductLine { get; set; }
    [BindProperty] public string? ProductModel { get; set; }
    [BindProperty] public DateOnly? PurchaseDate { get; set; }
    [BindProperty] public string Type { get; set; } = "repair";
    [BindProperty] public string Channel { get; set; } = "hotline";
    [BindProperty] public string? FaultDescription { get; set; }
    [BindProperty] public bool Urgent { get; set; }
    [BindProperty] public bool Angry { get; set; }
    /// <summary>The clerk says this is the fault a recent repair of the unit was for (返修, PEN-86), whatever the words.</summary>
    [BindProperty] public bool SameFault { get; set; }
    [BindProperty] public string? ContactPerson { get; set; }
    [BindProperty] public DateOnly? WindowDate { get; set; }
    [BindProperty] public TimeOnly? WindowStart { get; set; }
    [BindProperty] public TimeOnly? WindowEnd { get; set; }
    /// <summary>The jobs that need a certificate (SAF-08, SAF-14): a power-supply change, welding, work at height — ticked by the clerk.</summary>
    [BindProperty] public List<string> Jobs { get; set; } = [];

    /// <summary>The jobs the policy in force maps to a certificate (<c>certificates.requiredForJob</c>), with the certificate each needs.</summary>
    public IReadOnlyDictionary<string, string> JobChoices { get; private set; } = new Dictionary<string, string>();

    public CallerView? Caller { get; private set; }

    /// <summary>The order just created, when it repeats an earlier repair (返修): that repair's id and code.</summary>
    public (long Id, string Code)? CreatedRepeats { get; private set; }

    /// <summary>The branch's drafts (SC-01), oldest first: requests waiting for the details the caller could not give.</summary>
    public IReadOnlyList<WorkOrderSummaryDto> Drafts { get; private set; } = [];

    public async Task OnGet([FromQuery] long? created, CancellationToken ct)
    {
        Me.RequireAny("take calls", Roles.Intake);
        await LoadJobChoices(ct);
        await LoadDrafts(ct);
        if (created is not { } id) return;
        var order = await orders.Get(Me, id, ct);
        if (order.RepeatOf is { } first)
            CreatedRepeats = (first, await db.WorkOrders.AsNoTracking().Where(o => o.Id == first).Select(o => o.Code).FirstAsync(ct));
    }

    /// <summary>htmx: the caller panel for the number typed so far.</summary>
    public async Task<IActionResult> OnGetCaller(string? phone, CancellationToken ct)
    {
        Me.RequireAny("take calls", Roles.Intake);
        Phone = phone;
        Caller = await LookUp(phone, ct);
        return Partial("_Caller", Caller);
    }

    public Task<IActionResult> OnPost(CancellationToken ct) => Save(false, ct);

    /// <summary>SC-01: the caller cannot give everything the policy requires yet — keep the request as a draft.</summary>
    public Task<IActionResult> OnPostDraft(CancellationToken ct) => Save(true, ct);

    private async Task<IActionResult> Save(bool draft, CancellationToken ct)
    {
        Me.RequireAny("take calls", Roles.Intake);
        WorkOrderDto? created = null;
        var unread = UnreadWindow();
        var ok = await Attempt(async () =>
        {
            unread.ThrowIfInvalid();
            var zone = await zones.For(Me.BranchId, ct);
            TimeWindow? window = null;
            if (WindowDate is { } day && (WindowStart is not null || WindowEnd is not null))
                window = new TimeWindow(WindowStart is { } s ? Local(day, s, zone) : null, WindowEnd is { } e ? Local(day, e, zone) : null);
            var request = new CreateWorkOrderRequest(Type, Channel, CustomerId,
                CustomerId is null ? new CustomerInput(NewName, Phone, NewAddress, NewPin()) : null,
                string.IsNullOrEmpty(ProductSerial) ? null : ProductSerial,
                string.IsNullOrEmpty(ProductSerial) ? NullIfEmpty(ProductLine) : null, NullIfEmpty(ProductModel),
                string.IsNullOrEmpty(ProductSerial) ? PurchaseDate : null,
                NullIfEmpty(ContactPerson), CustomerId is null ? null : NullIfEmpty(Phone), NullIfEmpty(FaultDescription),
                Urgent ? "urgent" : "normal", Angry, window, null, SameFault ? true : null,
                Jobs.Where(j => !string.IsNullOrWhiteSpace(j)).Distinct().ToList(), draft ? true : null);
            created = await create.Handle(Me, request, ct);
        });
        if (ok && created is not null)
        {
            Flash = draft ? T["Draft {0} saved: complete it on the order's page to send it for dispatch.", created.Code] : T["Work order {0} created.", created.Code];
            return Redirect($"/intake?created={created.Id}");
        }
        Caller = await LookUp(Phone, ct);
        await LoadJobChoices(ct);
        await LoadDrafts(ct);
        return Page();
    }

    private async Task LoadDrafts(CancellationToken ct) =>
        Drafts = (await orders.List(Me, new WorkOrderQuery("draft", null, null, null, null, null, null, 1, 50), ct)).Items.OrderBy(o => o.CreatedAt).ToList();

    /// <summary>
    /// The requested window and the urgency as the form sent them: a value that did not bind (typed by hand, another
    /// client) or a time without its day is refused next to the field — dropping it would create the order without the
    /// customer's requested time, and nobody would know. The framework's own (English) binding errors give way to these.
    /// </summary>
    private Validator UnreadWindow()
    {
        var v = new Validator();
        bool Unbound(string property)
        {
            if (!ModelState.TryGetValue(property, out var entry) || entry.Errors.Count == 0) return false;
            ModelState.Remove(property);
            return true;
        }
        if (Unbound(nameof(WindowDate)))
        {
            var sent = Request.Form[nameof(WindowDate)].ToString();
            v.Add("requestedWindow", DateOnly.TryParse(sent, CultureInfo.InvariantCulture, out _)
                ? RefusedInput.OutOfRange("requestedWindow") : Msg.Of("{0} must be a date such as {1}.", Msg.Field("requestedWindow"), "2026-12-03"));
        }
        else if (WindowDate is null && (WindowStart is not null || WindowEnd is not null)) v.Add("requestedWindow", "{0} needs the day of the visit as well as its time.");
        if (Unbound(nameof(WindowStart))) v.Add("requestedWindow.start", "{0} must be a time such as {1}.", "09:00");
        if (Unbound(nameof(WindowEnd))) v.Add("requestedWindow.end", "{0} must be a time such as {1}.", "12:00");
        if (Unbound(nameof(Urgent))) v.Add("urgent", "{0} must be true or false.");
        return v;
    }

    private async Task LoadJobChoices(CancellationToken ct) =>
        JobChoices = (await policies.InForce(db, clock.GetUtcNow(), ct)).CertificateForJob;

    private async Task<CallerView> LookUp(string? phone, CancellationToken ct)
    {
        var normalized = PhoneNumber.Normalize(phone);
        if (normalized is null) return new CallerView(phone, false, null, [], [], ProductSerial, NewName, NewAddress, this);
        var found = (await customers.List(Me, normalized, null, 1, 5, ct)).Items;
        var customer = found.FirstOrDefault(c => c.BranchId == Me.BranchId) ?? (found.Count > 0 ? found[0] : null);
        IReadOnlyList<WorkOrderSummaryDto> history = customer is null ? []
            : (await orders.List(Me, new WorkOrderQuery(null, null, null, null, null, null, null, 1, 10, CustomerId: customer.Id), ct)).Items;
        IReadOnlyList<Features.Complaints.ComplaintSummaryDto> complained = customer is null ? []
            : (await complaints.List(Me, new Features.Complaints.ComplaintQuery(null, null, customer.Id, null, null, null, null, 1, 10), ct)).Items;
        CustomerId = customer?.Id;
        var open = new Dictionary<int, (long, string)>();
        if (customer is not null)
        {
            var closed = new[] { WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed, WorkOrderStatus.Cancelled };
            var rows = await db.WorkOrders.Where(o => o.CustomerId == customer.Id && o.ProductId != null && !closed.Contains(o.Status))
                .OrderBy(o => o.Id).Select(o => new { ProductId = o.ProductId!.Value, o.Id, o.Code }).ToListAsync(ct);
            foreach (var r in rows) open.TryAdd(r.ProductId, (r.Id, r.Code));
            // A caller with registered products is most often calling about the latest one: it is chosen unless the clerk chose.
            if (Request.Method == "GET" && ProductSerial is null)
                ProductSerial = customer.Products.OrderByDescending(p => p.PurchaseDate).ThenByDescending(p => p.Id).FirstOrDefault()?.SerialNumber;
        }
        return new CallerView(phone, true, customer, history, complained, ProductSerial, NewName, NewAddress, this) { OpenByProduct = open };
    }

    private GeoPoint? NewPin()
    {
        if (NewLat is not { } lat || NewLng is not { } lng) return null;
        var (wLat, wLng) = maps.FromDisplay(lat, lng);
        return new GeoPoint(wLat, wLng);
    }

    private static DateTimeOffset Local(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static string Iso(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Hm(TimeOnly? t) => t?.ToString("HH:mm", CultureInfo.InvariantCulture) ?? "";
}

using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using System.Text.Json;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Fieldline.Web.Features.WorkOrders;

public enum WorkOrderType { Install, Repair, Maintenance, Inspection }

/// <summary>TechnicianLead: an outside job a technician registered instead of doing it privately (DSP-12, SC-10).</summary>
public enum Channel { Hotline, Web, Brand, Email, WalkIn, ReturnVisit, TechnicianLead }

public enum Priority { Normal, Urgent }

/// <summary>What completing a draft may fill in or change (null: kept as recorded); <c>InWarranty</c> as recomputed from the purchase date.</summary>
public sealed record DraftCompletion(string? ProductModel, DateOnly? PurchaseDate, string? FaultDescription, string? ContactPerson,
    Priority? Priority, bool? AngryCustomer, bool? InWarranty);

/// <summary>
/// Returned: an installation the customer postponed, back with the dispatcher until it can be re-dispatched (CMP-07).
/// Draft: a request recorded while fields the policy requires are still missing (SC-01, INT-03); it is not dispatchable
/// until the clerk completes it (<see cref="WorkOrder.Submit"/>), which makes it New.
/// </summary>
public enum WorkOrderStatus { New, Dispatched, Accepted, Scheduled, InProgress, Completed, Visited, Closed, Cancelled, Returned, Draft }

/// <summary>Who acted, in which role, from the caller's token; recorded on every timeline entry.</summary>
public sealed record Actor(int? UserId, string Name, string Role, DateTimeOffset? DeviceAt = null)
{
    public static readonly Actor System = new(null, "system", "system");

    /// <summary>When the action happened by the phone's stamp, on the server's clock, where it is credible (<see cref="DeviceClock"/>).</summary>
    public DateTimeOffset? CredibleAt { get; init; }

    /// <summary>How far the server's clock is ahead of this phone's, as measured on this request (zero when not known).</summary>
    public TimeSpan DeviceOffset { get; init; }

    /// <summary>When the action happened as far as the server can tell: the phone's credible time, else the receipt.</summary>
    public DateTimeOffset ActedAt(DateTimeOffset now) => CredibleAt ?? now;
}

/// <summary>An action the current state of an order (or of another record with a lifecycle, e.g. a complaint) does not allow; answers 409 naming both.</summary>
public sealed class IllegalTransitionException : RefusalException
{
    public IllegalTransitionException(WorkOrderStatus current, string action) : this("a work order", "status", Infrastructure.Http.JsonNames.Of(current), action) =>
        Current = current;

    /// <summary>
    /// For any record with a lifecycle: "Cannot resolve a complaint that is open." <paramref name="subject"/> and
    /// <paramref name="action"/> are English phrases of the catalogue; <paramref name="state"/> a code of <paramref name="stateKind"/>.
    /// </summary>
    public IllegalTransitionException(string subject, string stateKind, string state, string action)
        : base(Msg.Of("Cannot {0} {1} that is {2}.", Msg.Action(action), Msg.Of(subject), Msg.Code(stateKind, state))) =>
        (State, Action) = (state, action);

    /// <summary>The work order's status, when the record is a work order.</summary>
    public WorkOrderStatus? Current { get; }
    /// <summary>The current state as the API names it (camelCase).</summary>
    public string State { get; }
    public string Action { get; }
}

/// <summary>
/// A customer's request and everything done about it. The lifecycle is enforced here: every state change is a method
/// that refuses an illegal transition and appends an entry to the timeline, so the status can never change unrecorded.
/// </summary>
public sealed class WorkOrder : IVersionedAggregate
{
    public long Id { get; private set; }
    public required string Code { get; init; }
    public int BranchId { get; init; }
    public WorkOrderType Type { get; init; }
    public Channel Channel { get; init; }
    public WorkOrderStatus Status { get; private set; } = WorkOrderStatus.New;
    public Priority Priority { get; set; }
    /// <summary>The customer reacted strongly (INT-16): the after-sales manager handles the order personally.</summary>
    public bool AngryCustomer { get; set; }
    public int PolicyVersionId { get; init; }

    public int CustomerId { get; init; }
    public Customers.Customer? Customer { get; init; }
    public int? ProductId { get; init; }
    /// <summary>The registered unit, when this request registers it (an installation's completion); not loaded otherwise.</summary>
    public Customers.RegisteredProduct? Product { get; private set; }
    public required string ProductLine { get; init; }
    public string? ProductModel { get => _productModel; init => _productModel = value; }
    public string? SerialNumber { get; init; }
    public DateOnly? PurchaseDate { get => _purchaseDate; init => _purchaseDate = value; }
    public bool InWarranty { get => _inWarranty; init => _inWarranty = value; }
    public required string ContactPerson { get; set; }
    public required string ContactPhone { get; init; }
    public required string Address { get; init; }
    // Set when the order is taken; Locate moves it later (EF reads and writes the fields).
    private double? _lat, _lng;
    public double? Lat { get => _lat; init => _lat = value; }
    public double? Lng { get => _lng; init => _lng = value; }
    // Set when the order is taken; completing a draft fills them in (Submit).
    private string? _productModel, _faultDescription;
    private DateOnly? _purchaseDate;
    private bool _inWarranty;
    public string? FaultDescription { get => _faultDescription; init => _faultDescription = value; }
    /// <summary>Jobs that need a certificate (the policy's certificates.requiredForJob keys), comma-separated; empty for none.</summary>
    public string Jobs { get; init; } = "";
    public IReadOnlyList<string> JobList => Jobs.Length == 0 ? [] : Jobs.Split(',');
    public DateTimeOffset? RequestedStart { get; init; }
    public DateTimeOffset? RequestedEnd { get; init; }

    public int? TechnicianId { get; private set; }
    /// <summary>
    /// 抢单池: when the dispatcher put the undispatched order into the branch's pool, where an eligible technician of the
    /// branch may take it themselves; null when it is not in the pool (never put there, taken back, or dispatched).
    /// </summary>
    public DateTimeOffset? PooledAt { get; private set; }
    /// <summary>In the branch's pool now: put there and still waiting for a technician.</summary>
    public bool InPool => PooledAt is not null && Status is WorkOrderStatus.New or WorkOrderStatus.Returned;
    public DateTimeOffset? AppointmentStart { get; private set; }
    public DateTimeOffset? AppointmentEnd { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DispatchedAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? ContactedAt { get; private set; }
    public DateTimeOffset? CheckedInAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset? VisitedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public double? CheckInLat { get; private set; }
    public double? CheckInLng { get; private set; }
    public bool EmptyTrip { get; private set; }
    public string? Resolution { get; private set; }
    public string? FaultCategory { get; private set; }
    public string? Barcode { get; private set; }
    /// <summary>FEE-07: the invoice issued for the money collected on site.</summary>
    public string? InvoiceNumber { get; private set; }
    /// <summary>How the customer paid the order's charges: cash to the technician, or the customer's own payment QR (paid to the company, nothing to hand in); null when nothing was charged.</summary>
    public PaymentMethod? PaymentMethod { get; private set; }
    /// <summary>FEE-05: what finance received of the money collected on this order; null until it is handed in.</summary>
    public decimal? RemittedAmount { get; private set; }
    public int? TestRunMinutes { get; private set; }
    public string? ChecklistJson { get; private set; }
    public long? SignatureAttachmentId { get; private set; }
    public Attachment? Signature { get; private set; }
    public bool? VisitReached { get; private set; }
    public int? Satisfaction { get; private set; }
    public string? CancelReason { get; private set; }
    /// <summary>
    /// RPT-17 / WAR-08: the trip's category for the year-end statistics (a key of the policy's statistics.tripCategories),
    /// set by the supervisor; null while the order's facts decide it (see Reports/TripCategories).
    /// </summary>
    public string? TripCategory { get; private set; }
    public int Version { get; set; }

    public List<TimelineEntry> Timeline { get; private set; } = [];
    public List<WorkOrderPart> Parts { get; private set; } = [];
    public List<WorkOrderCharge> Charges { get; private set; } = [];

    /// <summary>
    /// 返修 (PEN-86, SC-22): the earlier completed repair of the same unit this repair repeats, as intake found it (set once
    /// when the order is received, and named in its "created" timeline entry too). KPI-02 counts the orders a later one names.
    /// </summary>
    public long? RepeatOfId { get; private set; }

    public bool IsOpen => Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed or WorkOrderStatus.Cancelled);

    /// <param name="draft">The request lacks fields the policy requires: it is kept as a draft, not yet dispatchable (SC-01).</param>
    public void Receive(Actor actor, DateTimeOffset now, object data, long? repeatOf = null, bool draft = false)
    {
        RepeatOfId = repeatOf;
        if (draft) Status = WorkOrderStatus.Draft;
        Record("created", null, actor, now, data);
    }

    /// <summary>
    /// The clerk completes a draft (SC-01): the fields the caller could not give at first, then the order is ready for
    /// dispatch. The use case has checked the policy's required fields against the completed order.
    /// </summary>
    public void Submit(DraftCompletion fields, Actor actor, DateTimeOffset now)
    {
        var from = Require("submit", WorkOrderStatus.Draft);
        _productModel = fields.ProductModel ?? _productModel;
        _purchaseDate = fields.PurchaseDate ?? _purchaseDate;
        _faultDescription = fields.FaultDescription ?? _faultDescription;
        ContactPerson = fields.ContactPerson ?? ContactPerson;
        if (fields.InWarranty is { } inWarranty) _inWarranty = inWarranty;
        if (fields.Priority is { } priority) Priority = priority;
        if (fields.AngryCustomer is { } angry) AngryCustomer = angry;
        Status = WorkOrderStatus.New;
        Record("submitted", from, actor, now, new
        {
            productModel = fields.ProductModel, purchaseDate = fields.PurchaseDate, faultDescription = fields.FaultDescription,
            contactPerson = fields.ContactPerson, priority = fields.Priority is { } p ? JsonNames.Of(p) : null, angryCustomer = fields.AngryCustomer,
        });
    }

    /// <param name="partTimeApproved">
    /// DSP-21: the technician is part-time staff and the after-sales manager sends them (the approval); the dispatch
    /// answers the dispatcher's request when one for this technician is pending.
    /// </param>
    public void Dispatch(int technicianId, Actor actor, DateTimeOffset now, bool partTimeApproved = false)
    {
        var from = Require("dispatch", WorkOrderStatus.New, WorkOrderStatus.Returned);
        var pooled = InPool;
        var requestedBy = partTimeApproved && PendingPartTimeRequest() is { } request && request.TechnicianId == technicianId ? request.By : null;
        TechnicianId = technicianId;
        DispatchedAt = now;
        PooledAt = null; // a dispatched order leaves the pool
        Status = WorkOrderStatus.Dispatched;
        Record("dispatched", from, actor, now,
            partTimeApproved ? new { technicianId, leftPool = pooled, partTimeApprovedBy = actor.Name, approvedRequestBy = requestedBy }
            : pooled ? new { technicianId, leftPool = true } : (object)new { technicianId });
    }

    /// <summary>ONS-12 (variant): the technician reports a meal the customer insisted on, once, from the visit on.</summary>
    public void ReportMeal(string note, Actor actor, DateTimeOffset now)
    {
        var from = Require("report a meal at the customer's on", WorkOrderStatus.InProgress, WorkOrderStatus.Completed, WorkOrderStatus.Visited);
        if (Timeline.Any(t => t.Action == "mealReported")) throw new IllegalTransitionException(Status, "report a meal once more on");
        Record("mealReported", from, actor, now, new { note });
    }

    /// <summary>ONS-31: the office acknowledges the finished installation, once; the crew may then leave the site.</summary>
    public void AcknowledgeCompletion(Actor actor, DateTimeOffset now)
    {
        var from = Require("acknowledge the completion of", WorkOrderStatus.Completed);
        if (CompletionAcknowledged) throw new IllegalTransitionException(Status, "acknowledge once more the completion of");
        Record("completionAcknowledged", from, actor, now, new { });
    }

    public bool CompletionAcknowledged => Timeline.Any(t => t.Action == "completionAcknowledged");

    /// <summary>
    /// DSP-21: the dispatcher asks the after-sales manager to send part-time staff on an order nobody else can take in
    /// time, with the reason. Nothing moves until the manager dispatches them (the approval) or declines.
    /// </summary>
    public void RequestPartTimeDispatch(int technicianId, string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("ask the manager to send part-time staff on", WorkOrderStatus.New, WorkOrderStatus.Returned);
        Record("partTimeRequested", from, actor, now, new { toTechnicianId = technicianId, reason });
    }

    /// <summary>DSP-21: the request to send part-time staff still waiting for the manager, if any.</summary>
    public (int TechnicianId, string Reason, string By)? PendingPartTimeRequest() =>
        PendingPartTimeRequest(Timeline.Select(t => (t.Action, t.Data, t.Actor)));

    /// <summary>The same, read from a timeline as it is answered (the order page reads the order's DTO).</summary>
    public static (int TechnicianId, string Reason, string By)? PendingPartTimeRequest(IEnumerable<(string Action, JsonElement Data, string Actor)> timeline) =>
        PendingRequest(timeline, "partTimeRequested", ["partTimeDeclined", "dispatched", "taken", "cancelled"]);

    /// <summary>
    /// A request still waiting for its answer: the last of its own entry and those that answer or overtake it is the request
    /// itself (<c>toTechnicianId</c>, <c>reason</c> and who asked).
    /// </summary>
    private static (int TechnicianId, string Reason, string By)? PendingRequest(IEnumerable<(string Action, JsonElement Data, string Actor)> timeline,
        string asked, string[] answers)
    {
        var last = timeline.LastOrDefault(t => t.Action == asked || answers.Contains(t.Action));
        if (last.Action != asked || !last.Data.TryGetProperty("toTechnicianId", out var to) || !to.TryGetInt32(out var toId)) return null;
        return (toId, last.Data.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "", last.Actor);
    }

    /// <summary>DSP-21: the manager says no to sending part-time staff, with the reason; the order stays undispatched.</summary>
    public void DeclinePartTimeDispatch(string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("decline the part-time request of", WorkOrderStatus.New, WorkOrderStatus.Returned);
        if (PendingPartTimeRequest() is not { } request) throw new IllegalTransitionException(Status, "decline a part-time request that is not pending on");
        Record("partTimeDeclined", from, actor, now, new { toTechnicianId = request.TechnicianId, reason });
    }

    /// <summary>
    /// 放入抢单池: the dispatcher offers the undispatched order to the branch's technicians, who may take it themselves.
    /// The dispatch clock (INT-14) keeps running: an order nobody takes is still the dispatcher's to send in time.
    /// </summary>
    public void ReleaseToPool(Actor actor, DateTimeOffset now)
    {
        var from = Require("release into the order pool", WorkOrderStatus.New, WorkOrderStatus.Returned);
        if (InPool) throw new ConflictException(Msg.Of("{0} is already in the order pool.", Code));
        PooledAt = now;
        Record("pooled", from, actor, now, new { });
    }

    /// <summary>撤回: the dispatcher takes the order back out of the pool; nobody can take it any more.</summary>
    public void WithdrawFromPool(Actor actor, DateTimeOffset now)
    {
        var from = Require("take back from the order pool", WorkOrderStatus.New, WorkOrderStatus.Returned);
        if (!InPool) throw new ConflictException(Msg.Of("{0} is not in the order pool.", Code));
        PooledAt = null;
        Record("unpooled", from, actor, now, new { });
    }

    /// <summary>
    /// 抢单: an eligible technician takes the pooled order themselves — a dispatch to them (the same clocks stop and start),
    /// and, as they chose it, accepted at once (DSP-01). The caller checked the eligibility rule.
    /// </summary>
    public void Take(int technicianId, Actor actor, DateTimeOffset now)
    {
        var from = Require("take from the order pool", WorkOrderStatus.New, WorkOrderStatus.Returned);
        if (!InPool) throw new ConflictException(Msg.Of("{0} is not in the order pool.", Code));
        TechnicianId = technicianId;
        DispatchedAt = now;
        PooledAt = null;
        Status = WorkOrderStatus.Dispatched;
        Record("taken", from, actor, now, new { technicianId });
        Accept(actor, now);
    }

    /// <summary>Who took the order from the pool (the last "taken" entry), when it was taken; null when it was dispatched otherwise.</summary>
    public int? TakenBy => Timeline.LastOrDefault(t => t.Action is "taken" or "dispatched" or "transferred" or "rejected" or "returnedToDispatcher") is { Action: "taken" } e
        && e.Data.TryGetProperty("technicianId", out var id) && id.TryGetInt32(out var v) ? v : null;

    /// <summary>
    /// CMP-07 / DSP-15 (SC-13): the customer postpones the installation, so the installer hands the order back to the
    /// dispatcher with a note ("customer moves in 06-20"). The technician's clocks stop; new ones start on re-dispatch.
    /// </summary>
    public void ReturnToDispatcher(string reason, DateOnly? resumeOn, Actor actor, DateTimeOffset now)
    {
        var from = Require("return to the dispatcher", WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled);
        var technicianId = TechnicianId;
        TechnicianId = null;
        AppointmentStart = AppointmentEnd = null;
        Status = WorkOrderStatus.Returned;
        Record("returnedToDispatcher", from, actor, now, new { technicianId, reason, resumeOn });
    }

    public void Accept(Actor actor, DateTimeOffset now)
    {
        var from = Require("accept", WorkOrderStatus.Dispatched);
        AcceptedAt = now;
        Status = WorkOrderStatus.Accepted;
        Record("accepted", from, actor, now, new { technicianId = TechnicianId });
    }

    public void Reject(string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("reject", WorkOrderStatus.Dispatched);
        var technicianId = TechnicianId;
        TechnicianId = null;
        DispatchedAt = null;
        Status = WorkOrderStatus.New;
        Record("rejected", from, actor, now, new { technicianId, reason });
    }

    /// <summary>Reaching the customer fixes the appointment; an unreachable customer leaves the order accepted (DSP-07).</summary>
    public void Contact(bool reached, DateTimeOffset? start, DateTimeOffset? end, string? notes, Actor actor, DateTimeOffset now)
    {
        var from = Require("contact the customer of", WorkOrderStatus.Accepted);
        ContactedAt ??= reached ? now : null;
        if (reached)
        {
            (AppointmentStart, AppointmentEnd) = (start, end);
            Status = WorkOrderStatus.Scheduled;
            Record("contacted", from, actor, now, new { outcome = "reached", appointment = new { start, end }, notes });
        }
        else
        {
            Record("contactFailed", from, actor, now, new { outcome = "unreachable", notes });
        }
    }

    /// <summary>FEE-05: finance received the money the technician collected on this order.</summary>
    public void RecordRemittance(decimal amount, Actor actor, DateTimeOffset now)
    {
        var from = Require("record money handed in for", WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        if (Timeline.Any(t => t.Action == "remitted")) throw new IllegalTransitionException(Status, "record money handed in twice for");
        RemittedAmount = amount;
        Record("remitted", from, actor, now, new { amount });
    }

    /// <summary>
    /// FEE-04 (SC-23): a supervisor allows one charge line above the cap, or a free-text line without a price code, for this
    /// order, with a reason; the completion's matching line is then saved and flagged with it. Only while the work is open.
    /// </summary>
    public void ApprovePrice(PriceApproval approval, Actor actor, DateTimeOffset now)
    {
        if (!IsOpen || Status == WorkOrderStatus.New) throw new IllegalTransitionException(Status, "approve a price for");
        Record("priceApproved", Status, actor, now, approval);
    }

    /// <summary>FEE-04: the technician asks a supervisor to approve a price above the cap for a price item (the whole line's amount).</summary>
    public void RequestPriceApproval(string priceCode, decimal amount, string reason, Actor actor, DateTimeOffset now)
    {
        if (!IsOpen || Status == WorkOrderStatus.New) throw new IllegalTransitionException(Status, "ask for a price approval on");
        Record("priceApprovalRequested", Status, actor, now, new { priceCode, amount, reason });
    }

    /// <summary>The supervisors' price approvals for this order, newest first.</summary>
    public IEnumerable<(PriceApproval Approval, string By)> PriceApprovals => Timeline.Where(t => t.Action == "priceApproved").OrderByDescending(t => t.Id)
        .Select(t => (JsonSerializer.Deserialize<PriceApproval>(t.DataJson, TimelineEntry.JsonOptions)!, t.Actor));

    /// <summary>
    /// PRT-01: the warehouse received the old parts of this order, with the repair slip unless <paramref name="withSlip"/>
    /// is false (PEN-02 fines the slip separately). PRT-03: the warehouse may find a returned part non-genuine, which
    /// makes the technician bear every fine the brand later imposes for this order.
    /// </summary>
    public void RecordPartsReturned(string? notes, bool withSlip, bool nonGenuine, Actor actor, DateTimeOffset now)
    {
        var from = Require("record old parts returned for", WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        if (Timeline.Any(t => t.Action == "partsReturned")) throw new IllegalTransitionException(Status, "record old parts returned twice for");
        Record("partsReturned", from, actor, now, new { notes, nonGenuine });
        if (withSlip && !SlipHandedIn) Record("slipHandedIn", from, actor, now, new { notes, withParts = true });
    }

    /// <summary>FEE-03/PEN-02: the office received the order's installation card or repair slip.</summary>
    public void RecordSlipHandedIn(string? notes, Actor actor, DateTimeOffset now)
    {
        var from = Require("record the slip handed in for", WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        if (SlipHandedIn) throw new IllegalTransitionException(Status, "record the slip handed in twice for");
        Record("slipHandedIn", from, actor, now, new { notes, withParts = false });
    }

    private bool SlipHandedIn => Timeline.Any(t => t.Action == "slipHandedIn");

    /// <summary>PRT-03: the warehouse found a part returned from this order non-genuine.</summary>
    public bool NonGenuinePartReturned => Timeline.Any(t => t.Action == "partsReturned" && t.Data.TryGetProperty("nonGenuine", out var v) && v.ValueKind == JsonValueKind.True);

    /// <summary>
    /// GOV-07/PEN-78: a fine the brand (e.g. Gree) imposed on the company for this order, as recorded by a manager or
    /// finance; the policy decides who bears it.
    /// </summary>
    public void RecordBrandFine(decimal amount, string reference, string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("record a brand fine for", WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        Record("brandFined", from, actor, now, new { amount, reference, reason });
    }

    /// <summary>INS-29: an installation-caused leak found on this repair (the chargeback and subsidy are the Evaluation feature's).</summary>
    public void RecordLeak(string leak, string leakOutcome, string installOrder, string? compressor, Actor actor, DateTimeOffset now)
    {
        var from = Require("record a leak on", WorkOrderStatus.InProgress, WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        Record("leakFound", from, actor, now, new { leak, leakOutcome, installOrder, compressor });
    }

    /// <summary>INT-17: the clerk's progress call during a planned installation: expected finish and whether anything is wrong.</summary>
    public void RecordProgressCall(DateTimeOffset expectedFinish, bool anomaly, string? notes, Actor actor, DateTimeOffset now)
    {
        var from = Require("record a progress call for", WorkOrderStatus.Scheduled, WorkOrderStatus.InProgress);
        Record("progressCalled", from, actor, now, new { expectedFinish, anomaly, notes });
    }

    /// <summary>The dispatcher's own call after the technician reported the customer unreachable (DSP-08).</summary>
    public void ConfirmUnreachable(bool reached, string? notes, Actor actor, DateTimeOffset now)
    {
        var from = Require("confirm the customer unreachable for", WorkOrderStatus.Accepted);
        if (!Timeline.Any(t => t.Action == "contactFailed")) throw new IllegalTransitionException(Status, "confirm (without a failed contact first) the customer unreachable for");
        Record(reached ? "unreachableRefuted" : "unreachableConfirmed", from, actor, now, new { reached, notes, goAtOriginalAppointment = !reached });
    }

    /// <summary>
    /// The customer's address got its place on the map after the order was taken: the order follows, so the dispatcher's
    /// plan and map can place it. Only before the technician is on site; the check-in records where they really were.
    /// </summary>
    public void Locate(double lat, double lng, Actor actor, DateTimeOffset now)
    {
        var from = Require("set the location of", WorkOrderStatus.New, WorkOrderStatus.Returned, WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled);
        (_lat, _lng) = (lat, lng);
        Record("located", from, actor, now, new { location = new { lat, lng } });
    }

    /// <summary>A new appointment only with the customer's consent (CMP-06); the caller checks the consent flag.</summary>
    public void Reschedule(DateTimeOffset start, DateTimeOffset end, string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("reschedule", WorkOrderStatus.Scheduled);
        var previous = new { start = AppointmentStart, end = AppointmentEnd };
        (AppointmentStart, AppointmentEnd) = (start, end);
        Record("rescheduled", from, actor, now, new { previous, appointment = new { start, end }, reason, customerConsent = true });
    }

    public void CheckIn(double lat, double lng, Actor actor, DateTimeOffset now)
    {
        var from = Require("check in to", WorkOrderStatus.Scheduled);
        (CheckInLat, CheckInLng) = (lat, lng);
        CheckedInAt = now;
        Status = WorkOrderStatus.InProgress;
        Record("checkedIn", from, actor, now, new { location = new { lat, lng } });
    }

    public void Complete(Completion c, Actor actor, DateTimeOffset now)
    {
        var from = Require("complete", WorkOrderStatus.InProgress);
        Resolution = c.Resolution;
        FaultCategory = c.FaultCategory;
        Barcode = c.Barcode;
        InvoiceNumber = c.InvoiceNumber;
        PaymentMethod = c.Charges.Sum(x => x.Amount) > 0 ? c.PaymentMethod : null;
        TestRunMinutes = c.TestRunMinutes;
        ChecklistJson = c.Checklist is null ? null : JsonSerializer.Serialize(c.Checklist);
        Signature = c.Signature;
        Parts.AddRange(c.Parts);
        Charges.AddRange(c.Charges);
        CompletedAt = now;
        Status = WorkOrderStatus.Completed;
        Record("completed", from, actor, now, new
        {
            c.Resolution, c.FaultCategory, c.Barcode, c.TestRunMinutes, c.InvoiceNumber,
            parts = c.Parts.Count, chargesTotal = c.Charges.Sum(x => x.Amount), signed = c.Signature is not null,
        });
    }

    /// <summary>
    /// WAR-02: the installation registered the unit it put in (see Customers/RegisterInstalledProduct); the order now names
    /// it, so its report and the next repair find the unit and its warranty.
    /// </summary>
    public void InstalledUnit(Customers.RegisteredProduct product)
    {
        if (Type != WorkOrderType.Install || Status != WorkOrderStatus.Completed) throw new IllegalTransitionException(Status, "register the unit of");
        if (ProductId is null) Product = product;
    }

    /// <summary>No fault found on site (空单): the order ends as completed, marked as an empty trip.</summary>
    public void RecordEmptyTrip(string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("record an empty trip for", WorkOrderStatus.InProgress);
        EmptyTrip = true;
        Resolution = reason;
        CompletedAt = now;
        Status = WorkOrderStatus.Completed;
        Record("emptyTrip", from, actor, now, new { reason });
    }

    /// <summary>
    /// DSP-11: a technician may not hand the order to a colleague; asking only records a request for the dispatcher,
    /// and the order stays theirs until the dispatcher transfers it.
    /// </summary>
    public void RequestTransfer(int toTechnicianId, string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("request a transfer of", WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled);
        if (toTechnicianId == TechnicianId) throw new IllegalTransitionException(Status, "request a transfer to the technician who already has");
        Record("transferRequested", from, actor, now, new { fromTechnicianId = TechnicianId, toTechnicianId, reason });
    }

    /// <summary>
    /// DSP-11: the technician's transfer request still waiting for the dispatcher — the colleague asked for and the reason —
    /// or null once the dispatcher transferred the order, declined the request, or the order was dispatched anew.
    /// </summary>
    public (int ToTechnicianId, string Reason, string By)? PendingTransferRequest() =>
        PendingTransferRequest(Timeline.Select(t => (t.Action, t.Data, t.Actor)));

    /// <summary>The same, read from a timeline as it is answered (the order page reads the order's DTO).</summary>
    public static (int ToTechnicianId, string Reason, string By)? PendingTransferRequest(IEnumerable<(string Action, JsonElement Data, string Actor)> timeline) =>
        PendingRequest(timeline, "transferRequested", ["transferDeclined", "transferred", "dispatched", "taken"]);

    /// <summary>DSP-11: the dispatcher declines the technician's transfer request, with the reason; the order stays with them.</summary>
    public void DeclineTransfer(string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("decline a transfer request of", WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled);
        if (PendingTransferRequest() is not { } request) throw new IllegalTransitionException(Status, "decline a transfer request that is not pending on");
        Record("transferDeclined", from, actor, now, new { fromTechnicianId = TechnicianId, request.ToTechnicianId, reason });
    }

    /// <summary>Moves the order to another technician; it must be accepted again (DSP-11: only the dispatcher transfers).</summary>
    public void Transfer(int technicianId, string reason, Actor actor, DateTimeOffset now)
    {
        var from = Require("transfer", WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled);
        if (technicianId == TechnicianId) throw new IllegalTransitionException(Status, "transfer to the technician who already has");
        var previous = TechnicianId;
        // The transfer answers the technician's own request when one for this colleague is pending (not one already declined).
        var approvesRequest = PendingTransferRequest() is { } request && request.ToTechnicianId == technicianId ? request.By : null;
        TechnicianId = technicianId;
        DispatchedAt = now;
        AcceptedAt = null;
        Status = WorkOrderStatus.Dispatched;
        Record("transferred", from, actor, now, new
        {
            fromTechnicianId = previous, toTechnicianId = technicianId, reason, approvedRequestBy = approvesRequest,
        });
    }

    public void Cancel(string reason, Actor actor, DateTimeOffset now)
    {
        if (!IsOpen) throw new IllegalTransitionException(Status, "cancel");
        var from = Status;
        PooledAt = null;
        CancelReason = reason;
        CancelledAt = now;
        Status = WorkOrderStatus.Cancelled;
        Record("cancelled", from, actor, now, new { reason });
    }

    /// <summary>
    /// A return visit that ended the follow-up — the customer answered (by phone or through the rating link) or refused to —
    /// moves the order to visited; an unreachable customer is only recorded, to be called again (RV-01).
    /// </summary>
    /// <summary>
    /// One return-visit attempt. Reached or refused ends the follow-up (visited); so does the last unreachable try the
    /// policy allows (<paramref name="lastTry"/>, RV-09: tracked to completion) — visited without reaching the customer, no
    /// satisfaction, for the manager to close like a refusal. An earlier unreachable try leaves the order completed. A
    /// customer not reached that way (or who refused) may still answer later — the rating link, a call back — until the
    /// order is closed: that reached visit replaces the unreached one.
    /// </summary>
    public void RecordReturnVisit(string outcome, int? satisfaction, object data, Actor actor, DateTimeOffset now, bool lastTry = false)
    {
        var from = outcome == "reached" && Status == WorkOrderStatus.Visited && VisitReached == false
            ? WorkOrderStatus.Visited
            : Require("record a return visit for", WorkOrderStatus.Completed);
        if (outcome == "unreachable" && !lastTry)
        {
            Record("returnVisitFailed", from, actor, now, data);
            return;
        }
        VisitReached = outcome == "reached";
        Satisfaction = satisfaction;
        VisitedAt = now;
        Status = WorkOrderStatus.Visited;
        Record("returnVisited", from, actor, now, data);
    }

    /// <summary>RPT-17: the supervisor names the category of a trip that was made (a completed order); it may be corrected.</summary>
    public void SetTripCategory(string category, Actor actor, DateTimeOffset now)
    {
        var from = Require("set the trip category of", WorkOrderStatus.Completed, WorkOrderStatus.Visited, WorkOrderStatus.Closed);
        var previous = TripCategory;
        TripCategory = category;
        Record("tripCategorized", from, actor, now, new { category, previous });
    }

    /// <summary>RV-06: the customer's account of the money differs from the order's charges; the complaint desk looks into it.</summary>
    public void FlagChargeMismatch(decimal reported, decimal recorded, Actor actor, DateTimeOffset now) =>
        Record("chargeMismatchFlagged", Status, actor, now, new { reportedAmount = reported, recordedAmount = recorded });

    public void Close(Actor actor, DateTimeOffset now)
    {
        var from = Require("close", WorkOrderStatus.Visited);
        ClosedAt = now;
        Status = WorkOrderStatus.Closed;
        Record("closed", from, actor, now, new { });
    }

    private WorkOrderStatus Require(string action, params WorkOrderStatus[] allowed) =>
        allowed.Contains(Status) ? Status : throw new IllegalTransitionException(Status, action);

    // Every step of the order is one timeline entry, and every entry is a change of the order: its version goes up even
    // when the step changes nothing in the order's own row (an unreachable customer, a progress call, a meal, a hand-in).
    private void Record(string action, WorkOrderStatus? from, Actor actor, DateTimeOffset now, object data)
    {
        Timeline.Add(new TimelineEntry
        {
            At = now, DeviceAt = actor.DeviceAt, ActorUserId = actor.UserId, Actor = actor.Name, ActorRole = actor.Role, Action = action,
            FromStatus = from, ToStatus = Status, DataJson = JsonSerializer.Serialize(data, TimelineEntry.JsonOptions),
        });
        _unsavedChange = true;
    }

    private bool _unsavedChange;

    bool IVersionedAggregate.TakeUnsavedChange()
    {
        var changed = _unsavedChange;
        _unsavedChange = false;
        return changed;
    }
}

/// <summary>What the technician hands in at completion.</summary>
public sealed record Completion(string? Resolution, string? FaultCategory, string? Barcode, int? TestRunMinutes,
    Dictionary<string, JsonElement>? Checklist, Attachment? Signature, IReadOnlyList<WorkOrderPart> Parts, IReadOnlyList<WorkOrderCharge> Charges,
    string? InvoiceNumber = null, PaymentMethod PaymentMethod = PaymentMethod.Cash);

/// <summary>Cash to the technician (handed in to finance later, FEE-05) or the customer's own payment QR (paid to the company at once).</summary>
public enum PaymentMethod { Cash, Qr }

/// <summary>A supervisor's approval of one charge line's price (FEE-04): the line is the price code, part number or free-text description; up to the amount.</summary>
public sealed record PriceApproval(string? PriceCode, string? PartNumber, string? Description, decimal Amount, string Reason);

public sealed class WorkOrderPart
{
    public long Id { get; private set; }
    public long WorkOrderId { get; private set; }
    public required string PartNumber { get; init; }
    public string? Name { get; init; }
    public int Quantity { get; init; }
}

public sealed class WorkOrderCharge
{
    public long Id { get; private set; }
    public long WorkOrderId { get; private set; }
    public required string Description { get; init; }
    /// <summary>The price-list line this charge is for (FEE-01), when it is one; the cap is checked against it.</summary>
    public string? PriceCode { get; init; }
    public int Quantity { get; init; } = 1;
    /// <summary>The catalogue part this charge is for (its list price is the standard), when it is one.</summary>
    public string? PartNumber { get; init; }
    /// <summary>The standard price of one unit when the line was charged (price list or catalogue list price); null for free text.</summary>
    public decimal? StandardPrice { get; set; }
    /// <summary>The total charged for the line, in CNY.</summary>
    public decimal Amount { get; init; }
    /// <summary>FEE-04: the supervisor's reason when the line is above the cap or free text; every such line is flagged.</summary>
    public string? OverrideReason { get; set; }
    public string? OverrideBy { get; set; }
}

/// <summary>One immutable line of an order's history: who did what, when, from which role, with what data.</summary>
public sealed class TimelineEntry : IAppendOnly
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public long Id { get; private set; }
    public long WorkOrderId { get; private set; }
    /// <summary>When the server received it.</summary>
    public DateTimeOffset At { get; init; }
    /// <summary>When the phone says it happened (an action queued offline is sent later; both times are kept).</summary>
    public DateTimeOffset? DeviceAt { get; init; }
    public int? ActorUserId { get; init; }
    public required string Actor { get; init; }
    public required string ActorRole { get; init; }
    public required string Action { get; init; }
    public WorkOrderStatus? FromStatus { get; init; }
    public WorkOrderStatus? ToStatus { get; init; }
    public string DataJson { get; init; } = "{}";

    /// <summary>The entry's data, parsed (a copy: entries never change).</summary>
    public JsonElement Data
    {
        get { using var doc = JsonDocument.Parse(DataJson); return doc.RootElement.Clone(); }
    }
}

/// <summary>The last number handed out per branch and local day, for codes like WO-20261126-0001.</summary>
/// <summary>
/// The day's order numbers, one series for the whole company (<see cref="Company"/>): an order's code names one order
/// wherever it is quoted — by the customer, a brand's call centre, a slip, head office's reports. Rows of earlier
/// versions, numbered per branch, stay as they were.
/// </summary>
public sealed class WorkOrderCodeCounter : IVersioned
{
    /// <summary>The series' key in <see cref="BranchId"/>: no branch has id 0.</summary>
    public const int Company = 0;

    public int BranchId { get; init; }
    public DateOnly Day { get; init; }
    public int Last { get; set; }
    public int Version { get; set; }

    /// <summary>
    /// Takes the company's next number of the day in one atomic statement (an upsert that returns the new number), so
    /// concurrent creates never collide and never retry.
    /// <para>SQLite, or a PostgreSQL write already open: inside the caller's write. Writes are serial there anyway, and a
    /// write that is rolled back gives its number back: numbers are consecutive.</para>
    /// <para>PostgreSQL, called before the write opens (CreateWorkOrder): in a commit of its own, like a sequence. Inside the
    /// write, the counter's row stayed locked until that write committed, so every create of a branch waited for the one
    /// before it to reach the disk (68 creates/s at 50 clerks, whatever the machine). The commit does not wait for the
    /// disk (synchronous_commit off for this statement alone): the order's own commit comes later in the same log, and
    /// flushing it flushes the number's too, so a crash can lose a number only with the order that would have used it.
    /// A create that fails after taking its number leaves a gap, as a sequence would.</para>
    /// </summary>
    public static async Task<string> Next(AppDbContext db, DateOnly day, CancellationToken ct)
    {
        var ownCommit = db.OnPostgres && db.Database.CurrentTransaction is null;
        if (!ownCommit) await db.BeginWriteAsync(ct);
        var last = await Take(db, ownCommit ? TakeInOwnCommit : TakeInWrite, Company, day, ct);
        return $"WO-{day:yyyyMMdd}-{last:0000}";
    }

    private const string TakeInOwnCommit = """
        INSERT INTO "WorkOrderCodeCounters" ("BranchId", "Day", "Last", "Version")
        SELECT {0}, {1}, 1, 0 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS "AsyncCommit"
        ON CONFLICT ("BranchId", "Day") DO UPDATE SET "Last" = "WorkOrderCodeCounters"."Last" + 1, "Version" = "WorkOrderCodeCounters"."Version" + 1
        RETURNING "Last" AS "Value"
        """;

    private const string TakeInWrite = """
        INSERT INTO "WorkOrderCodeCounters" ("BranchId", "Day", "Last", "Version") VALUES ({0}, {1}, 1, 0)
        ON CONFLICT ("BranchId", "Day") DO UPDATE SET "Last" = "WorkOrderCodeCounters"."Last" + 1, "Version" = "WorkOrderCodeCounters"."Version" + 1
        RETURNING "Last" AS "Value"
        """;

    /// <summary>
    /// Runs the upsert as EF Core runs raw SQL (ExecuteSqlRaw: the same parameters and type mappings, interceptors, logging,
    /// the execution strategy) and reads its one value, without the query pipeline a <c>SqlQuery</c> goes through on every
    /// call — composing, parameter extraction, the query cache (issue 14, session 11: every create takes a number).
    /// </summary>
    private static Task<int> Take(AppDbContext db, string sql, int branchId, DateOnly day, CancellationToken ct)
    {
        var command = db.GetService<Microsoft.EntityFrameworkCore.Storage.IRawSqlCommandBuilder>().Build(sql, [branchId, day]);
        var run = new Microsoft.EntityFrameworkCore.Storage.RelationalCommandParameterObject(
            db.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalConnection>(), command.ParameterValues, null, db,
            db.GetService<Microsoft.EntityFrameworkCore.Diagnostics.IRelationalCommandDiagnosticsLogger>(),
            Microsoft.EntityFrameworkCore.Diagnostics.CommandSource.ExecuteSqlRaw);
        return db.Database.CreateExecutionStrategy().ExecuteAsync((command.RelationalCommand, run),
            static async (_, s, ct) => Convert.ToInt32(await s.RelationalCommand.ExecuteScalarAsync(s.run, ct), System.Globalization.CultureInfo.InvariantCulture),
            null, ct);
    }
}

/// <summary>A file attached to an order (photo, signature), stored in the database so every app node sees it.</summary>
public sealed class Attachment
{
    public long Id { get; private set; }
    public long WorkOrderId { get; init; }
    public required string Kind { get; init; }
    public required string ContentType { get; init; }
    public required string FileName { get; init; }
    public long Size { get; init; }
    /// <summary>Where the bytes are: their SHA-256 address in the blob store (<see cref="Infrastructure.Blobs.IBlobStore"/>).</summary>
    public string? BlobHash { get; set; }
    /// <summary>The bytes of an attachment stored before the blob store; moved into it at start-up (AttachmentBlobs), then null.</summary>
    public byte[]? LegacyContent { get; set; }
    public DateTimeOffset UploadedAt { get; init; }
    public int UploadedByUserId { get; init; }
}

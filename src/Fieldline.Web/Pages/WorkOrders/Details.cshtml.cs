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
    CancelWorkOrder cancel, Features.Complaints.FindComplaints complaints, AppDbContext db, TimeProvider clock, Infrastructure.Blobs.IBlobStore blobs,
    RecordLeak leaks, SetTripCategory tripCategory, PolicyStore policies, Features.Quality.FindQualityFlags flags, CloseWorkOrder close,
    ConfirmUnreachable unreachable, RecordProgressCall progress, BranchZones zones, RecordBrandFine brandFines, Features.Dispatch.ReleaseToPool pool, RecordHandIns handIns, RescheduleWorkOrder reschedule,
    TransferWorkOrder transfer, DeclineTransferRequest declineTransfer, DispatchWorkOrder dispatch, RequestPartTimeDispatch askPartTime,
    DeclinePartTimeDispatch declinePartTime, AcknowledgeCompletion acknowledge, SubmitWorkOrder submit, Features.Mobile.RenderServiceReport report) : ConsolePage
{
    /// <summary>A finished order's service report (服务报告), for office staff and the order's own technician (no one else sees the page).</summary>
    public bool HasReport => Order.Status is "completed" or "visited" or "closed" && Me.IsAny([.. Roles.Office, Roles.Technician]);

    /// <summary>
    /// The service report PDF, opened in the browser with the console's cookie: the same use case and checks as
    /// <c>GET /api/work-orders/{id}/report.pdf</c> (staff of the order's branch, the order's technician), in the reader's language.
    /// </summary>
    public async Task<IActionResult> OnGetReport(long id, CancellationToken ct)
    {
        var pdf = await report.ForUser(Me, id, ct);
        var code = await db.WorkOrders.AsNoTracking().Where(o => o.Id == id).Select(o => o.Code).SingleAsync(ct);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline");
        disposition.SetHttpFileName(T["Service report {0}", code] + ".pdf");
        Response.Headers.ContentDisposition = disposition.ToString();
        Response.Headers.CacheControl = "private, no-store";
        return File(pdf, "application/pdf");
    }

    /// <summary>ONS-31: the finished installation waits for the office's acknowledgement before the crew leaves the site.</summary>
    public bool AwaitsAcknowledgement { get; private set; }

    public bool CanAcknowledge => AwaitsAcknowledgement && Me.IsAny(AcknowledgeCompletion.AllowedRoles);

    public async Task<IActionResult> OnPostAcknowledge(long id, int? version, CancellationToken ct)
    {
        if (await Attempt(() => acknowledge.Handle(Me, id, new VersionOnlyRequest(version), null, ct)))
        {
            Flash = T["Acknowledged: the crew may leave the site."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>DSP-21: the dispatcher's request to send part-time staff, waiting for the after-sales manager.</summary>
    public (int TechnicianId, string? Name, string Reason, string By)? PartTimeAsked { get; private set; }

    /// <summary>The manager answers the request: dispatching the person is the approval.</summary>
    public bool CanAnswerPartTime => Me.IsAny(DeclinePartTimeDispatch.AllowedRoles);

    /// <summary>The branch's part-time staff whom only the manager may send, offered to the dispatcher to ask for.</summary>
    public IReadOnlyList<(int Id, string Name)> PartTimers { get; private set; } = [];

    public async Task<IActionResult> OnPostRequestPartTime(long id, int? technicianId, string? reason, int? version, CancellationToken ct)
    {
        if (await Attempt(() => askPartTime.Handle(Me, id, new PartTimeRequestBody(technicianId, reason, version), null, ct)))
        {
            Flash = T["The after-sales manager is asked to approve."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApprovePartTime(long id, int? version, CancellationToken ct)
    {
        if (await Attempt(async () =>
            {
                await Load(id, ct);
                if (PartTimeAsked is not { } asked) throw new IllegalTransitionException(Enum.Parse<WorkOrderStatus>(Order.Status, ignoreCase: true), "approve a part-time request that is not pending on");
                await dispatch.Handle(Me, id, new DispatchRequest(asked.TechnicianId, version), null, ct);
            }))
        {
            Flash = T["Approved: the part-time staff is dispatched."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeclinePartTime(long id, string? reason, int? version, CancellationToken ct)
    {
        if (await Attempt(() => declinePartTime.Handle(Me, id, new DeclinePartTimeBody(reason, version), null, ct)))
        {
            Flash = T["Not approved; the dispatcher is told."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>FEE-03 / PEN-02: the office received the installation card or repair slip; offered to its receivers while it is outstanding.</summary>
    public bool CanRecordSlip => Me.IsAny(RecordHandIns.SlipReceivers) && Order.Status is "completed" or "visited" or "closed"
        && !Order.Timeline.Any(t => t.Action == "slipHandedIn");

    /// <summary>The slip clock of the order (its deadline), when the policy runs one.</summary>
    public ClockDto? SlipClock => Order.Clocks.FirstOrDefault(c => c.Name == Clocks.SlipHandIn);

    public async Task<IActionResult> OnPostSlip(long id, string? notes, int? version, CancellationToken ct)
    {
        if (await Attempt(() => handIns.SlipHandedIn(Me, id, new SlipHandedInRequest(notes, version), null, ct)))
        {
            Flash = T["The slip was recorded as handed in."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>CMP-03 / CMP-06: the dispatcher or a manager moves the appointment of a scheduled order, with the customer's consent (the technician does it on the phone).</summary>
    public bool CanReschedule => Me.IsAny(Roles.Dispatcher, Roles.Manager) && Order.Status == "scheduled";

    /// <summary>DSP-11: the technician's transfer request waiting for the dispatcher (shown to those who may transfer).</summary>
    public (int ToTechnicianId, string? ToName, string Reason, string By)? TransferAsked { get; private set; }

    public async Task<IActionResult> OnPostApproveTransfer(long id, int? version, CancellationToken ct)
    {
        if (await Attempt(async () =>
            {
                await Load(id, ct);
                if (TransferAsked is not { } asked) throw new IllegalTransitionException(Enum.Parse<WorkOrderStatus>(Order.Status, ignoreCase: true), "approve a transfer request that is not pending on");
                await transfer.Handle(Me, id, new TransferRequest(asked.ToTechnicianId, asked.Reason, version), null, ct);
            }))
        {
            Flash = T["Transferred as the technician asked."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeclineTransfer(long id, string? reason, int? version, CancellationToken ct)
    {
        if (await Attempt(() => declineTransfer.Handle(Me, id, new DeclineTransferBody(reason, version), null, ct)))
        {
            Flash = T["Transfer request declined; the technician is told."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>The new window is typed in the branch's local time.</summary>
    public async Task<IActionResult> OnPostReschedule(long id, DateTime? start, DateTime? end, string? reason, bool customerConsent, int? version, CancellationToken ct)
    {
        if (await Attempt(async () =>
            {
                var zone = await zones.For((await find.Get(Me, id, ct)).BranchId, ct);
                var window = new TimeWindow(InZone(start, zone), InZone(end, zone));
                await reschedule.Handle(Me, id, new RescheduleRequest(window, reason, customerConsent, version), null, ct);
            }))
        {
            Flash = T["The appointment was moved with the customer's consent."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>A wall-clock time typed in the branch's zone, as the instant it names there.</summary>
    private static DateTimeOffset? InZone(DateTime? local, TimeZoneInfo zone)
    {
        if (local is not { } t) return null;
        var wall = DateTime.SpecifyKind(t, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>抢单池: the dispatching roles put an undispatched order into the branch's pool, or take it back.</summary>
    public bool CanPool => Me.IsAny(Features.Dispatch.ReleaseToPool.AllowedRoles) && Order.Status is "new" or "returned";

    public async Task<IActionResult> OnPostPool(long id, bool withdraw, int? version, CancellationToken ct)
    {
        var request = new VersionOnlyRequest(version);
        WorkOrderDto? done = null;
        if (await Attempt(async () => done = withdraw ? await pool.Withdraw(Me, id, request, null, ct) : await pool.Release(Me, id, request, null, ct)))
        {
            Flash = withdraw ? T["{0} was taken back from the order pool.", done!.Code] : T["{0} is in the order pool: the branch's technicians may take it.", done!.Code];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>GOV-07 / PRT-03: the brand fined the company for this finished order; the policy passes it on (PEN-78, PEN-91).</summary>
    public bool CanRecordBrandFine => Me.IsAny(RecordBrandFine.Recorders) && Order.Status is "completed" or "visited" or "closed";

    public async Task<IActionResult> OnPostBrandFine(long id, decimal? amount, string? reference, string? reason, int? version, CancellationToken ct)
    {
        BrandFineResult? result = null;
        if (await Attempt(async () => result = await brandFines.Handle(Me, id, new BrandFineRequest(amount, reference, reason, version), null, ct)))
        {
            Flash = result!.Case is { } c ? T["The brand fine was recorded and passed on: {0}.", c.RuleIds] : T["The brand fine was recorded; the company bears it."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>The manager closes a visited order (the step after the return visit).</summary>
    public bool CanClose => Me.IsAny(CloseWorkOrder.AllowedRoles) && Order.Status == "visited";

    /// <summary>DSP-08: the technician reported the customer unreachable; the dispatcher calls and confirms or refutes it.</summary>
    public bool CanConfirmUnreachable => Me.IsAny(ConfirmUnreachable.AllowedRoles) && Order.Status == "accepted"
        && Order.Timeline.Any(t => t.Action == "contactFailed");

    /// <summary>INT-17: the office's progress call while the job is planned or under way.</summary>
    public bool CanRecordProgress => Me.IsAny(RecordProgressCall.AllowedRoles) && Order.Status is "scheduled" or "inProgress";

    public async Task<IActionResult> OnPostClose(long id, int? version, CancellationToken ct)
    {
        if (await Attempt(() => close.Handle(Me, id, new VersionOnlyRequest(version), null, ct)))
        {
            Flash = T["The order was closed."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUnreachable(long id, bool reached, string? notes, int? version, CancellationToken ct)
    {
        if (await Attempt(() => unreachable.Handle(Me, id, new ConfirmUnreachableRequest(reached, notes, version), null, ct)))
        {
            Flash = reached ? T["Recorded: the customer was reached."] : T["Recorded: the customer cannot be reached; the technician goes at the original appointment."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostProgress(long id, DateTime? expectedFinish, bool anomaly, string? notes, int? version, CancellationToken ct)
    {
        if (await Attempt(async () =>
            {
                DateTimeOffset? finish = null;
                if (expectedFinish is not null) finish = InZone(expectedFinish, await zones.For((await find.Get(Me, id, ct)).BranchId, ct));
                await progress.Handle(Me, id, new ProgressCallRequest(finish, anomaly, notes, version), null, ct);
            }))
        {
            Flash = T["The progress call was recorded."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>What the on-site checks flagged on this order (INS-01, ONS-22), for the reviewers: supervisor and managers.</summary>
    public IReadOnlyList<Features.Quality.QualityFlagDto> Flags { get; private set; } = [];

    public WorkOrderDto Order { get; private set; } = null!;
    public IReadOnlyList<BreachDto> Breaches { get; private set; } = [];
    public IReadOnlyList<PenaltyCaseDto> Penalties { get; private set; } = [];
    public IReadOnlyList<Features.Complaints.ComplaintSummaryDto> Complaints { get; private set; } = [];
    /// <summary>What each complaint about the order established (the fines it found, against whom).</summary>
    public Dictionary<long, IReadOnlyList<Features.Complaints.FindingDto>> Findings { get; private set; } = [];
    public Dictionary<int, string> People { get; private set; } = [];
    public string? TechnicianName { get; private set; }
    public DateTimeOffset Now => clock.GetUtcNow();
    /// <summary>Timeline data and penalty evidence as sentences (times in the branch's zone, people by name).</summary>
    public Infrastructure.Localization.DataText Facts { get; private set; } = null!;

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

    public async Task<IActionResult> OnPostLeak(long id, string? leak, string? outcome, string? compressor, string? note, int? version, CancellationToken ct)
    {
        if (await Attempt(() => leaks.Handle(Me, id, new LeakRequest(leak, outcome, compressor, note, version), null, ct)))
        {
            Flash = T["The leak was recorded: the installer is charged and the repair technician credited."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>RPT-17: the supervisor names the trip's category for the year-end statistics.</summary>
    public async Task<IActionResult> OnPostTripCategory(long id, string? category, int? version, CancellationToken ct)
    {
        if (await Attempt(() => tripCategory.Handle(Me, id, new TripCategoryRequest(category, version), null, ct)))
        {
            Flash = T["The trip category was set."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }

    /// <summary>The categories the order's policy offers (statistics.tripCategories), for the supervisor's control.</summary>
    public IReadOnlyList<string> TripCategoryKeys { get; private set; } = [];

    public bool CanSetTripCategory => Me.IsAny(SetTripCategory.AllowedRoles) && Order.Status is "completed" or "visited" or "closed";

    private async Task Load(long id, CancellationToken ct)
    {
        Order = await find.Get(Me, id, ct);
        Facts = await DataTextFor(Order.BranchId, ct);
        // The order's policy version, read once and only when a card below needs it.
        CompanyPolicy? orderPolicy = null;
        async Task<CompanyPolicy> Policy() => orderPolicy ??=
            await policies.ById(db, await db.WorkOrders.Where(w => w.Id == id).Select(w => w.PolicyVersionId).FirstAsync(ct), ct);
        if (CanSetTripCategory) TripCategoryKeys = TripCategories.Keys(await Policy());
        if (CanSubmit)
            DraftMissing = CreateWorkOrder.MissingFields(await Policy(), Enum.Parse<WorkOrderType>(Order.Type, ignoreCase: true), new Dictionary<string, object?>
            {
                ["productModel"] = Order.Product.Model, ["purchaseDate"] = Order.Product.PurchaseDate,
                ["faultDescription"] = Order.FaultDescription, ["serialNumber"] = Order.Product.SerialNumber,
            }).ToList();
        var actors = Order.Timeline.Select(e => e.Actor).Concat(Order.Clocks.SelectMany(c => c.Pauses).Select(p => p.Actor)).Distinct().ToList();
        Names = await db.Users.AsNoTracking().Where(u => actors.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
        Breaches = (await breaches.Handle(Me, new BreachQuery(id, null, null, null, null, true, null, null, 1, 100), ct)).Items;
        if (Me.IsAny(ManagePenaltyCases.Deciders) || Me.IsAny(Roles.Dispatcher, Roles.Finance) || Me.IsOnlyTechnician)
            Penalties = (await penalties.List(Me, null, null, null, id, null, 1, 100, ct)).Items;
        if (Me.IsAny(Features.Quality.FindQualityFlags.Reviewers)) Flags = await flags.ForOrder(Me, id, ct);
        Complaints = (await complaints.List(Me, new Features.Complaints.ComplaintQuery(null, null, null, null, id, null, null, 1, 50), ct)).Items;
        Findings = await complaints.Findings(Me, Complaints.Select(c => c.Id).ToList(), ct);
        var ids = Penalties.Select(p => p.PersonUserId).Concat(Breaches.Where(b => b.ResponsibleUserId is not null).Select(b => b.ResponsibleUserId!.Value)).Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        if (Order.Type == "repair" && Order.Status is "inProgress" or "completed" or "visited" or "closed" && Me.IsAny(RecordLeak.Recorders)
            && Order.Product.Id is not null && !await db.LeakFindings.AnyAsync(f => f.RepairOrderId == id, ct))
        {
            var policy = await Policy();
            LeakKinds = policy.LeakTypes;
            DistinguishCompressor = policy.DistinguishInverterFixedSpeed;
        }
        if (Order.TechnicianId is { } tid)
            TechnicianName = await db.Technicians.AsNoTracking().Where(t => t.Id == tid).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
        AwaitsAcknowledgement = Order.Status == "completed" && Order.Type == "install" && !Order.Timeline.Any(e => e.Action == "completionAcknowledged")
            && (await Policy()).AcknowledgeBeforeLeavingSite;
        PartTimeAsked = null;
        PartTimers = [];
        if (Order.Status is "new" or "returned")
        {
            if (WorkOrder.PendingPartTimeRequest(Order.Timeline.Select(e => (e.Action, e.Data, e.Actor))) is { } pt)
            {
                var name = await db.Technicians.AsNoTracking().Where(t => t.Id == pt.TechnicianId).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
                PartTimeAsked = (pt.TechnicianId, name, pt.Reason, pt.By);
            }
            else if (Me.IsAny(RequestPartTimeDispatch.AllowedRoles)
                && (await Policy()).PartTimeDispatchNeedsManager)
                PartTimers = (await db.Technicians.AsNoTracking().Where(t => t.BranchId == Order.BranchId && t.PartTime && t.User!.IsActive)
                    .OrderBy(t => t.Id).Select(t => new { t.Id, t.User!.DisplayName }).ToListAsync(ct)).Select(t => (t.Id, t.DisplayName)).ToList();
        }
        TransferAsked = null;
        if (Me.IsAny(TransferWorkOrder.AllowedRoles) && Order.Status is "dispatched" or "accepted" or "scheduled"
            && WorkOrder.PendingTransferRequest(Order.Timeline.Select(e => (e.Action, e.Data, e.Actor))) is { } asked)
        {
            var name = await db.Technicians.AsNoTracking().Where(t => t.Id == asked.ToTechnicianId).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
            TransferAsked = (asked.ToTechnicianId, name, asked.Reason, asked.By);
        }
    }

    /// <summary>A user shown by their name (the timeline records usernames).</summary>
    public string NameOf(string? userName) => userName is null ? "" : Names.GetValueOrDefault(userName, userName);

    /// <summary>
    /// An entry no user made — the system's own (a timer, a rule: 系统) or the customer's (the rating link: 客户) — is named
    /// by its role in the reader's language, not shown as data (<c>translate="no"</c>). Told apart by name and role
    /// together: no user has the role "system" or "customer", so a user who happens to be called so keeps their name.
    /// </summary>
    public static bool ByNoUser(string? actor, string? role) => actor is not null && actor == role && NoUser.Contains(actor);

    private static readonly HashSet<string> NoUser = [Features.WorkOrders.Actor.System.Role, Features.ReturnVisits.RateByCustomer.Customer.Role];

    private Dictionary<string, string> Names { get; set; } = [];

    /// <summary>The leaks the policy counts (INS-29), when this user may record one on this repair; empty otherwise.</summary>
    public IReadOnlyList<string> LeakKinds { get; private set; } = [];
    public bool DistinguishCompressor { get; private set; }
    public bool CanRecordLeak => LeakKinds.Count > 0;

    public bool CanCancel => Me.IsAny(Roles.Admin, Roles.Manager, Roles.Dispatcher, Roles.InfoClerk)
        && Order.Status is "draft" or "new" or "dispatched" or "accepted" or "scheduled";

    /// <summary>SC-01: a draft the clerk completes here; the policy's required fields it still lacks (request names).</summary>
    public bool CanSubmit => Me.IsAny(Roles.Intake) && Order.Status == "draft";
    public IReadOnlyList<string> DraftMissing { get; private set; } = [];

    public async Task<IActionResult> OnPostSubmit(long id, string? productModel, DateOnly? purchaseDate, string? faultDescription, string? contactPerson,
        bool urgent, bool angry, int? version, CancellationToken ct)
    {
        if (await Attempt(() => submit.Handle(Me, id, new SubmitWorkOrderRequest(productModel, purchaseDate, faultDescription, contactPerson,
                urgent ? "urgent" : null, angry ? true : null, version), null, ct)))
        {
            Flash = T["The request is complete and waits for dispatch."];
            return Redirect($"/orders/{id}");
        }
        await Load(id, ct);
        return Page();
    }
}

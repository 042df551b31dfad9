using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using System.Text.Json;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

/// <summary>Clock names as the API shows them.</summary>
public static class Clocks
{
    public const string Dispatch = "dispatch";                 // INT-14: intake → dispatched, 30 working minutes
    public const string Processing = "processing";             // INT-13: intake → accepted, 24 h
    public const string Contact = "contact";                   // DSP-02 installs 2 h / DSP-03 repairs 20 min target
    public const string ContactLimit = "contactLimit";         // DSP-04: repairs, 4 h penalty threshold
    public const string CompletionTarget = "completionTarget"; // CMP-01: the half-day rule
    public const string Completion = "completion";             // CMP-02/04: 24 h hard limit, fines 30 / 80
    public const string ReturnVisit = "returnVisit";           // RV-01: 3 days after completion
    public const string Visit = "visit";                       // DSP-09: on site by the end of the agreed appointment
    public const string ProgressCall = "progressCall";         // INT-17: the clerk's call at 70–80 % of a planned installation
    public const string Acknowledgement = "acknowledgement";   // DSP-01: the SMS dispatch order accepted in the app
    public const string MoneyHandIn = "moneyHandIn";           // FEE-05: collected money handed in within 3 days
    public const string PartsReturn = "partsReturn";           // PRT-01: old parts and repair documents back within 3 days
    public const string SlipHandIn = "slipHandIn";             // FEE-03/PRT-01: the installation card or repair slip back within 3 days (PEN-02)
    public const string Resolve = "resolve";                   // CPL-16/17: a complaint resolved within 24 h (72 h, customer departed)

    public static readonly string[] Assignment = [Acknowledgement, Contact, ContactLimit, CompletionTarget, Completion, Visit, ProgressCall];
}

/// <summary>
/// Starts, stops, pauses and exempts an order's clocks from the timeline entries its use case just appended, reading
/// every number from the policy version the order was created under and every hour from the branch's calendar.
/// Called explicitly by the work-order use cases before their single save; breaches found later are the timer's job.
/// </summary>
public sealed class SlaEngine(AppDbContext db, PolicyStore policies, SlaCalendars calendars, BreachHandler breaches, SlaOptions options)
{
    private readonly HashSet<TimelineEntry> _applied = [];

    /// <summary>Reacts to the order's timeline entries not yet saved nor applied, as of <paramref name="now"/>.</summary>
    public async Task Apply(WorkOrder order, DateTimeOffset now, CancellationToken ct)
    {
        // One scan of the tracker for the whole timeline: db.Entry(t) ran a full DetectChanges per entry (issue 14).
        var added = db.ChangeTracker.Entries<TimelineEntry>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        var fresh = order.Timeline.Where(t => added.Contains(t) && _applied.Add(t)).ToList();
        if (fresh.Count == 0) return;
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var calendar = await calendars.For(order.BranchId, ct);
        // The order's clocks: those saved before (now tracked) and those started earlier in this same unit of work. The
        // tracker was scanned just above and nothing has changed since (the reads only add unchanged entities): no second scan.
        if (db.WithoutDetect(order, static (d, o) => d.Entry(o).State) != EntityState.Added)
            await db.SlaClocks.Include(c => c.Pauses).Where(c => c.WorkOrderId == order.Id).LoadAsync(ct);
        var clocks = db.WithoutDetect(order, static (d, o) => d.SlaClocks.Local.Where(c => ReferenceEquals(c.WorkOrder, o) || (o.Id != 0 && c.WorkOrderId == o.Id)).ToList());
        var technicianUser = order.TechnicianId is { } tid ? await TechnicianUser(tid, ct) : null;
        var run = new Run(order, policy, calendar, clocks, now, technicianUser);
        foreach (var entry in fresh) await On(entry, run, ct);
    }

    // A technician's user never changes (Technician.UserId is set once), so what this request already knows is not read again.
    private readonly Dictionary<int, int> _technicianUsers = [];

    /// <summary>
    /// The caller has established that <paramref name="technicianId"/> is <paramref name="userId"/>'s profile (the assigned
    /// technician acting on their own order): the clocks of this request need not read it (issue 14: one read per action).
    /// </summary>
    public void TechnicianIs(int technicianId, int userId) => _technicianUsers[technicianId] = userId;

    /// <summary>The technician's user: known to this request, or tracked already (a dispatch checked the technician), or read.</summary>
    private async Task<int?> TechnicianUser(int technicianId, CancellationToken ct)
    {
        if (_technicianUsers.TryGetValue(technicianId, out var known)) return known;
        if (db.WithoutDetect(technicianId, static (d, id) => d.Technicians.Local.FirstOrDefault(t => t.Id == id)) is { } tracked) return tracked.UserId;
        return await db.Technicians.Where(t => t.Id == technicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// CPL-16/CPL-17: every complaint is resolved within <c>complaints.resolveWithinMinutes</c> (24 h), one from a customer
    /// who has already left within <c>complaints.departedCustomerResolveWithinMinutes</c> (72 h) when the policy has it.
    /// The owner's role answers for it; the timer warns at the progress-check point and records the breach like any clock.
    /// </summary>
    public async Task StartComplaint(Complaint complaint, CompanyPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        var departed = complaint.CustomerDeparted ? policy.DepartedCustomerComplaintResolveWithinMinutes : null;
        if ((departed ?? policy.ComplaintResolveWithinMinutes) is not { } minutes) return;
        var calendar = await calendars.For(complaint.BranchId, ct);
        var clock = new SlaClock
        {
            Complaint = complaint, BranchId = complaint.BranchId, Name = Clocks.Resolve, RuleId = departed is null ? "CPL-16" : "CPL-17",
            StartedAt = now, TargetMinutes = minutes, CountIn = CountIn.CalendarTime, State = ClockState.Running, ResponsibleRole = complaint.OwnerRole,
        };
        clock.DueAt = SlaMath.DueAt(now, minutes, CountIn.CalendarTime, calendar, []);
        var warnPercent = policy.ProgressCheckWindowPercent.From;
        clock.WarnAt = SlaMath.Add(now, minutes * warnPercent / 100, CountIn.CalendarTime, calendar);
        clock.Reschedule();
        db.SlaClocks.Add(clock);
    }

    /// <summary>
    /// SHOP-02 / RV-01: a unit repaired at the depot reached the customer; the order it came from is visited within
    /// <c>returnVisit.afterCustomerReceiptWithinMinutes</c> (3 days) of that moment. The order's earlier return-visit clock,
    /// if still running, is replaced: the return-visit queue shows the new due time.
    /// </summary>
    public async Task StartDepotReturnVisit(long workOrderId, int branchId, double minutes, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var old in await db.SlaClocks.Where(c => c.WorkOrderId == workOrderId && c.Name == Clocks.ReturnVisit
                     && (c.State == ClockState.Running || c.State == ClockState.Paused)).ToListAsync(ct))
        {
            old.State = ClockState.Cancelled;
            old.StoppedAt = now;
            old.Reschedule();
        }
        var calendar = await calendars.For(branchId, ct);
        var clock = new SlaClock
        {
            WorkOrderId = workOrderId, BranchId = branchId, Name = Clocks.ReturnVisit, RuleId = "SHOP-02", StartedAt = now, TargetMinutes = minutes,
            CountIn = CountIn.CalendarTime, State = ClockState.Running, ResponsibleRole = Roles.ReturnVisitAgent,
        };
        clock.DueAt = SlaMath.DueAt(now, minutes, CountIn.CalendarTime, calendar, []);
        clock.Reschedule();
        db.SlaClocks.Add(clock);
    }

    /// <summary>The complaint was resolved: its clock is met, or breached when the answer came at or after the deadline.</summary>
    public async Task StopComplaint(Complaint complaint, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var clock in await db.SlaClocks.Where(c => c.ComplaintId == complaint.Id && c.State == ClockState.Running).ToListAsync(ct))
        {
            clock.StoppedAt = now;
            var late = clock.DueAt is { } due && now >= due;
            clock.State = late ? ClockState.Breached : ClockState.Met;
            clock.Reschedule();
            if (late) await breaches.ComplaintStopped(clock, now, ct);
        }
    }

    private sealed record Run(WorkOrder Order, CompanyPolicy Policy, BusinessCalendar Calendar, List<SlaClock> Clocks, DateTimeOffset Now, int? TechnicianUser);

    private async Task On(TimelineEntry entry, Run r, CancellationToken ct)
    {
        var p = r.Policy;
        switch (entry.Action)
        {
            case "created":
                // A draft (SC-01) is not yet information that can be dispatched: its 30 minutes start when it is completed;
                // the 24 hours to process it all run from the call (INT-13).
                if (entry.ToStatus != WorkOrderStatus.Draft)
                    Start(r, Clocks.Dispatch, "INT-14", false, p.InfoDispatchWithinMinutes, CountIn.WorkingTime, entry.ActorUserId, entry.ActorRole);
                Start(r, Clocks.Processing, "INT-13", false, p.InfoProcessWithinMinutes, CountIn.CalendarTime, entry.ActorUserId, entry.ActorRole);
                break;
            case "submitted":
                Start(r, Clocks.Dispatch, "INT-14", false, p.InfoDispatchWithinMinutes, CountIn.WorkingTime, entry.ActorUserId, entry.ActorRole);
                break;
            case "dispatched":
            case "taken": // 抢单: a technician took the order from the pool, a dispatch to them
                await Stop(r, ct, Clocks.Dispatch);
                StartAssignment(r);
                break;
            case "accepted":
                await Stop(r, ct, Clocks.Processing, Clocks.Acknowledgement);
                break;
            case "rejected":
                Cancel(r, Clocks.Assignment);
                Start(r, Clocks.Dispatch, "INT-14", false, p.InfoDispatchWithinMinutes, CountIn.WorkingTime, null, Roles.Dispatcher);
                break;
            case "returnedToDispatcher":
                // CMP-07: the customer postponed the installation; nothing runs against anyone until it is re-dispatched,
                // when "dispatched" starts the technician's clocks anew from that moment.
                Cancel(r, [.. Clocks.Assignment, Clocks.Processing]);
                break;
            case "transferred":
                Cancel(r, Clocks.Acknowledgement);
                foreach (var c in Running(r, Clocks.Assignment)) { c.ResponsibleUserId = r.TechnicianUser; c.ResponsibleRole = Roles.Technician; }
                StartAcknowledgement(r);
                break;
            case "contacted":
                await Stop(r, ct, Clocks.Contact, Clocks.ContactLimit);
                StartVisit(r);
                StartProgressCall(r);
                break;
            case "progressCalled":
                await Stop(r, ct, Clocks.ProgressCall);
                break;
            case "checkedIn":
                await Stop(r, ct, Clocks.Contact, Clocks.ContactLimit, Clocks.Visit);
                break;
            case "unreachableConfirmed":
                foreach (var c in Running(r, Clocks.Contact, Clocks.ContactLimit))
                {
                    c.State = ClockState.Exempt;
                    c.StoppedAt = r.Now;
                    c.ExemptReason = "unreachableConfirmed"; // a code: the page names it (exempt.unreachableConfirmed); who confirmed is on the timeline
                    c.Reschedule();
                }
                break;
            case "rescheduled":
                Postpone(r, entry);
                // An approved new appointment replaces the old one: the visit is due by the end of the new window.
                Cancel(r, Clocks.Visit, Clocks.ProgressCall);
                StartVisit(r);
                StartProgressCall(r);
                break;
            case "completed":
            case "emptyTrip":
                Cancel(r, Clocks.ProgressCall); // done before the call was due: nothing left to ask
                await Stop(r, ct, [.. Clocks.Assignment, Clocks.Processing]);
                Start(r, Clocks.ReturnVisit, "RV-01", false, p.ReturnVisitAfterFieldCompletionMinutes, CountIn.CalendarTime, null, Roles.ReturnVisitAgent);
                // Money paid by the customer's QR went to the company: there is nothing to hand in.
                if (r.Order.Charges.Sum(c => c.Amount) > 0 && r.Order.PaymentMethod != WorkOrders.PaymentMethod.Qr && p.CollectedFeeHandInWithinMinutes is { } handIn)
                    StartMoneyHandIn(r, handIn);
                if (p.PartsAndRepairDocsReturnWithinMinutes is { } partsBack)
                {
                    if (r.Order.Parts.Count > 0)
                        Start(r, Clocks.PartsReturn, "PRT-01", false, partsBack, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician, "partNotReturned");
                    // PEN-02: every finished order has its slip (installation card or repair slip), fined on its own.
                    if (entry.Action == "completed" && p.Rule("slipNotSubmitted") is not null)
                        Start(r, Clocks.SlipHandIn, r.Order.Type == WorkOrderType.Install ? "FEE-03" : "PRT-01", false, partsBack, CountIn.CalendarTime,
                            r.TechnicianUser, Roles.Technician, "slipNotSubmitted");
                }
                break;
            case "remitted":
                await Stop(r, ct, Clocks.MoneyHandIn);
                break;
            case "partsReturned":
                await Stop(r, ct, Clocks.PartsReturn);
                break;
            case "slipHandedIn":
                await Stop(r, ct, Clocks.SlipHandIn);
                break;
            case "returnVisited":
                await Stop(r, ct, Clocks.ReturnVisit);
                break;
            case "cancelled":
            case "closed":
                Cancel(r, [.. Clocks.Assignment, Clocks.Dispatch, Clocks.Processing, Clocks.ReturnVisit]);
                break;
        }
    }

    /// <summary>
    /// FEE-05: collected money is handed in within the policy's time. ccec (FEE-07, SC-24) hands it to finance
    /// immediately on returning to the company (<c>collectedFeeHandInWithinMinutes = 0</c>): the clock then has no due
    /// time until the technician's next office check-in sets one (<see cref="OfficeCheckIn"/>).
    /// </summary>
    private void StartMoneyHandIn(Run r, double minutes)
    {
        var clock = Start(r, Clocks.MoneyHandIn, "FEE-05", false, minutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician, "collectedFeeNotRemitted");
        if (minutes > 0) return;
        (clock.DueAt, clock.WarnAt) = (null, null);
        clock.Reschedule();
    }

    /// <summary>
    /// FEE-07 (ccec, SC-24): the technician checked in at the office, so the money of every order whose hand-in waits for
    /// that moment is due now, plus the few minutes finance needs to count it (Fieldline:Sla:OfficeHandInGraceMinutes;
    /// the presets give no number). The timer breaches and fines it like any FEE-05 clock.
    /// </summary>
    public async Task<IReadOnlyList<SlaClock>> OfficeCheckIn(int technicianUserId, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = await db.SlaClocks.Where(c => c.Name == Clocks.MoneyHandIn && c.ResponsibleUserId == technicianUserId
            && c.State == ClockState.Running && c.DueAt == null).OrderBy(c => c.Id).ToListAsync(ct);
        foreach (var clock in waiting)
        {
            clock.DueAt = now.AddMinutes(options.OfficeHandInGraceMinutes);
            clock.Reschedule();
        }
        return waiting;
    }

    /// <summary>
    /// DSP-01 (SC-05 edge): a dispatch order not accepted in the app within the tenant's time shows "not acknowledged" and
    /// tells the dispatcher, who may reassign it. The presets give no number for it, so it is a setting
    /// (Fieldline:Sla:AcknowledgeWithinMinutes, 30 by default; 0 turns it off) used when the policy requires the acknowledgement.
    /// </summary>
    private void StartAcknowledgement(Run r)
    {
        if (!r.Policy.SmsAcknowledgementRequired || options.AcknowledgeWithinMinutes <= 0) return;
        var clock = Start(r, Clocks.Acknowledgement, "DSP-01", false, options.AcknowledgeWithinMinutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician);
        clock.WarnAt = null;
        clock.Reschedule();
    }

    private void StartAssignment(Run r)
    {
        var p = r.Policy;
        StartAcknowledgement(r);
        if (r.Order.Type == WorkOrderType.Install)
            Start(r, Clocks.Contact, "DSP-02", false, p.ContactCustomerWithinMinutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician);
        else
        {
            Start(r, Clocks.Contact, "DSP-03", true, p.RepairContactTargetMinutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician);
            if (p.RepairContactPenaltyThresholdMinutes is { } limit)
                Start(r, Clocks.ContactLimit, "DSP-04", false, limit, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician);
        }
        var complete = p.CompleteWithinMinutes;
        if (p.HalfDayMorningCutoff is { } cutoff)
        {
            // CMP-02 (SC-11): the half-day target is the earlier aim, the 24 hours the latest an order may ever take. Dispatched
            // in the evening or on a day off, the next working noon lies beyond the 24 hours: the target is then the hard due.
            var due = SlaMath.Earliest(SlaMath.HalfDayDue(r.Now, cutoff, cutoff, r.Calendar), SlaMath.Add(r.Now, complete, CountIn.CalendarTime, r.Calendar));
            Start(r, Clocks.CompletionTarget, "CMP-01", true, (due - r.Now).TotalMinutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician, due: due);
        }
        var clock = Start(r, Clocks.Completion, "CMP-04", false, complete, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician, "orderOverdue");
        if (p.SevereOverdueAfterMinutes is { } severe)
            clock.SevereAt = SlaMath.Add(r.Now, severe, CountIn.CalendarTime, r.Calendar);
        clock.Reschedule();
    }

    /// <summary>A visit is due by the end of the agreed appointment; missing it is a no-visit (DSP-09), counted per month.</summary>
    private void StartVisit(Run r)
    {
        if (r.Order.AppointmentEnd is not { } end || end <= r.Now) return;
        var clock = Start(r, Clocks.Visit, "DSP-09", false, (end - r.Now).TotalMinutes, CountIn.CalendarTime, r.TechnicianUser, Roles.Technician, due: end);
        clock.WarnAt = null;
        clock.Reschedule();
    }

    /// <summary>
    /// INT-17 (SC-04): for a planned installation the clerk calls between 70 % and 80 % of the planned window; the task
    /// shows at 70 % (the warning) and is overdue at 80 %.
    /// </summary>
    private void StartProgressCall(Run r)
    {
        if (r.Order.Type != WorkOrderType.Install || r.Order.AppointmentStart is not { } start || r.Order.AppointmentEnd is not { } end) return;
        var window = r.Policy.ProgressCheckWindowPercent;
        var planned = (end - start).TotalMinutes;
        var due = start.AddMinutes(planned * window.To / 100);
        if (due <= r.Now) return;
        var clerk = r.Order.Timeline.FirstOrDefault(t => t.Action == "created")?.ActorUserId;
        var clock = Start(r, Clocks.ProgressCall, "INT-17", false, (due - r.Now).TotalMinutes, CountIn.CalendarTime, clerk, Roles.InfoClerk, due: due);
        clock.WarnAt = start.AddMinutes(planned * window.From / 100);
        clock.Reschedule();
    }

    private SlaClock Start(Run r, string name, string rule, bool isTarget, double minutes, CountIn mode, int? responsible, string role,
        string? penaltyKey = null, DateTimeOffset? due = null)
    {
        var clock = new SlaClock
        {
            WorkOrder = r.Order, WorkOrderId = r.Order.Id, BranchId = r.Order.BranchId, Name = name, RuleId = rule, IsTarget = isTarget,
            StartedAt = r.Now, TargetMinutes = minutes, CountIn = mode, State = ClockState.Running, ResponsibleUserId = responsible,
            ResponsibleRole = role, PenaltyKey = penaltyKey,
        };
        clock.DueAt = due ?? SlaMath.DueAt(r.Now, minutes, mode, r.Calendar, []);
        // The progress check (INT-17): the dispatcher hears about a hard deadline at 70 % of the allowed time.
        var warnPercent = r.Policy.ProgressCheckWindowPercent.From;
        if (!isTarget) clock.WarnAt = SlaMath.Add(r.Now, minutes * warnPercent / 100, mode, r.Calendar);
        clock.Reschedule();
        db.SlaClocks.Add(clock);
        r.Clocks.Add(clock);
        return clock;
    }

    private static IEnumerable<SlaClock> Running(Run r, params string[] names) =>
        r.Clocks.Where(c => names.Contains(c.Name) && c.State is ClockState.Running or ClockState.Paused);

    private async Task Stop(Run r, CancellationToken ct, params string[] names)
    {
        foreach (var clock in Running(r, names).ToList())
        {
            foreach (var open in clock.Pauses.Where(p => p.To is null)) open.To = r.Now;
            clock.StoppedAt = r.Now;
            var late = clock.DueAt is { } due && r.Now >= due; // as the timer: at the due instant the deadline has passed
            clock.State = late ? ClockState.Breached : ClockState.Met;
            clock.Reschedule();
            if (late) await breaches.Stopped(clock, r.Order, r.Policy, r.Now, ct);
        }
    }

    private static void Cancel(Run r, params string[] names)
    {
        foreach (var clock in Running(r, names))
        {
            clock.State = ClockState.Cancelled;
            clock.StoppedAt = r.Now;
            clock.Reschedule();
        }
    }

    /// <summary>
    /// CMP-03/CMP-07: a postponement the customer approved before the deadline stops the completion clocks, and the new
    /// appointment becomes the deadline. Asked after the deadline it is late: the order stays overdue. A new appointment
    /// before the deadline postpones nothing: the deadline stays (a due time is never moved earlier by a reschedule, and
    /// never set in the past — F10: a past appointment made a two-minute-old order "over 48 hours" late).
    /// </summary>
    private static void Postpone(Run r, TimelineEntry entry)
    {
        if (r.Order.AppointmentStart is not { } newDue || newDue <= r.Now) return;
        foreach (var clock in Running(r, Clocks.CompletionTarget, Clocks.Completion))
        {
            if (clock.DueAt is { } due && (r.Now >= due || newDue <= due)) continue;
            clock.Pauses.Add(new SlaClockPause { From = r.Now, To = newDue, NewDueAt = newDue, Reason = ReasonOf(entry), Actor = entry.Actor });
            clock.DueAt = SlaMath.DueAt(clock.StartedAt, clock.TargetMinutes, clock.CountIn, r.Calendar, clock.Spans);
            clock.WarnAt = null;
            clock.SevereAt = clock.SevereAt is null ? null : clock.DueAt + TimeSpan.FromMinutes((clock.SevereAt.Value - clock.StartedAt).TotalMinutes - clock.TargetMinutes);
            clock.Reschedule();
        }
    }

    private static string ReasonOf(TimelineEntry entry)
    {
        using var doc = JsonDocument.Parse(entry.DataJson);
        return doc.RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "";
    }
}

/// <summary>
/// Each branch's business calendar. Calendars change rarely and every clock started on a write needs one, so this node
/// keeps what it read (<see cref="Known"/>) for <see cref="Lifetime"/>, and forgets a branch's at once when a change to
/// it commits here (<see cref="Changed"/>); another node's change reaches this one within the lifetime (issue 14).
/// </summary>
public sealed class SlaCalendars(AppDbContext db, BranchZones zones, SlaCalendars.Known known)
{
    internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    public sealed class Known
    {
        internal readonly System.Collections.Concurrent.ConcurrentDictionary<int, (BusinessCalendar Calendar, long ReadAt)> Calendars = new();
    }

    public async Task<BusinessCalendar> For(int branchId, CancellationToken ct)
    {
        if (known.Calendars.TryGetValue(branchId, out var cached) && Environment.TickCount64 - cached.ReadAt <= (long)Lifetime.TotalMilliseconds)
            return cached.Calendar;
        var readAt = Environment.TickCount64;
        var zone = await zones.For(branchId, ct);
        var stored = await db.BranchCalendars.AsNoTracking().FirstOrDefaultAsync(c => c.BranchId == branchId, ct);
        var calendar = (stored ?? new BranchCalendar { BranchId = branchId }).ToCalendar(zone);
        known.Calendars[branchId] = (calendar, readAt);
        return calendar;
    }

    /// <summary>The branch's calendar was changed: read it again (call after the change commits, see <see cref="AppDbContext.AfterCommit"/>).</summary>
    public void Changed(int branchId) => known.Calendars.TryRemove(branchId, out _);
}

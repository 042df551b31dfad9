using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

public sealed record RegisterComplaintRequest(
    string? Type, string? Level, string? Channel, string? Description, int? CustomerId, string? Phone, string? CustomerName,
    long? WorkOrderId, int? PersonUserId, bool? Major, bool? AngryCustomer, bool? CustomerDeparted, int? BranchId);

/// <summary>
/// Records a complaint on the registration form (CPL-02) and routes it: to the department the policy names for its type
/// (CPL-04..06), to the front desk (CPL-14), or to the manager when it is major (CPL-14), the customer is angry (CPL-21)
/// or the customer complains again about the same problem (CPL-12). Starts its resolve clock (CPL-16/17), and a
/// late-contact complaint about an order that missed its contact deadline proposes the fine (PEN-13 / PEN-88); a complaint
/// that names the after-sales supervisor records that finding (PEN-94, CPL-11) where the policy has the rule.
/// </summary>
public sealed class RegisterComplaint(AppDbContext db, TimeProvider clock, PolicyStore policies, SlaEngine sla, ProposeLateContactFine fines,
    RecordComplaintFinding findings, ComplaintAccess access, TakeBackDailyBonus bonuses,
    ILogger<RegisterComplaint> log)
{
    public async Task<ComplaintDto> Handle(CurrentUser user, RegisterComplaintRequest r, CancellationToken ct)
    {
        user.RequireAny("register complaints", ComplaintAccess.Registrars);
        for (var attempt = 1; ; attempt++)
        {
            try { return await Register(user, r, ct); }
            // Two complaints about the same late contact at once: the unique index on the missed deadline lets one case
            // through; the other complaint is registered again and finds that case (no second fine).
            catch (DbUpdateException e) when (attempt < 3 && e is not DbUpdateConcurrencyException)
            {
                log.LogInformation("Complaint registration collided on attempt {Attempt}, retrying: {Error}", attempt, e.GetType().Name);
                await db.RollbackWriteAsync(); // in a request's deferred unit the refused save's other rows are still in its write
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<ComplaintDto> Register(CurrentUser user, RegisterComplaintRequest r, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var v = new Validator("complaint");
        var type = v.Enum<ComplaintType>(r.Type, "type", kind: "complaintType");
        var level = v.Enum<ComplaintLevel>(r.Level, "level", required: false, kind: "complaintLevel") ?? ComplaintLevel.Company;
        var levels = policy.ComplaintLevels;
        if (!v.Has("level") && levels is { Count: > 0 } && !levels.Contains(JsonNames.Of(level)))
            v.Add("level", "{0}: '{1}' is not a complaint level of the policy in force; it has: {2}.", JsonNames.Of(level), Msg.Join(levels.Select(l => Msg.Choice("complaintLevel", l))));
        var channel = v.Enum<Channel>(r.Channel, "channel");
        v.RequiredText(r.Description, 2000, "description").MaxLength(r.CustomerName, 100, "customerName");
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(r.Phone) && (phone = PhoneNumber.Normalize(r.Phone)) is null) v.Add("phone", PhoneNumber.Rule);

        // Who complains: the linked order's customer, a customer by id, or whoever calls from this number.
        WorkOrder? order = null;
        if (r.WorkOrderId is { } wid)
        {
            order = await db.WorkOrders.Include(o => o.Timeline.OrderBy(t => t.Id)).FirstOrDefaultAsync(o => o.Id == wid, ct);
            if (order is null || !user.CanSeeBranch(order.BranchId)) { v.Add("workOrderId", "Work order {1} does not exist.", wid); order = null; }
        }
        Customer? customer = null;
        if (r.CustomerId is { } cid)
        {
            customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == cid, ct);
            if (customer is null || !user.CanSeeBranch(customer.BranchId)) { v.Add("customerId", "Customer {1} does not exist.", cid); customer = null; }
            else if (order is not null && order.CustomerId != customer.Id) v.Add("customerId", "Work order {1} is another customer's.", order.Id);
        }
        if (customer is null && order is not null) customer = await db.Customers.FirstAsync(c => c.Id == order.CustomerId, ct);
        var branchId = order?.BranchId ?? customer?.BranchId ?? r.BranchId ?? user.BranchId;
        if (r.BranchId is { } asked && asked != branchId) v.Add("branchId", "The customer or work order belongs to another branch.");
        else if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        if (customer is null && phone is not null) customer = await db.Customers.FirstOrDefaultAsync(c => c.BranchId == branchId && c.Phone == phone, ct);
        phone ??= customer?.Phone;
        if (phone is null && !v.Has("phone") && !v.Has("customerId") && !v.Has("workOrderId"))
            v.Add("phone", "{0} is required when neither {1} nor {2} names the customer.", Msg.Field("customerId"), Msg.Field("workOrderId"));

        // Whom it is about: the person named, or the technician of the linked order.
        var person = r.PersonUserId;
        if (person is { } pid)
        {
            var staff = await db.Users.Where(u => u.Id == pid)
                .Select(u => new { u.BranchId, HeadOffice = db.Branches.Any(b => b.Id == u.BranchId && b.ParentId == null) }).FirstOrDefaultAsync(ct);
            if (staff is null || (staff.BranchId != branchId && !staff.HeadOffice)) v.Add("personUserId", "User {1} is not staff of this branch.", pid);
        }
        else if (order?.TechnicianId is { } tid)
            person = await db.Technicians.Where(t => t.Id == tid).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
        v.ThrowIfInvalid();

        // CPL-12: the same customer about the same problem (same type, same order) within the last 12 months.
        var since = now.AddMonths(-12);
        var sameIssue = db.Complaints.Where(c => c.BranchId == branchId && c.Type == type && c.WorkOrderId == r.WorkOrderId && c.CreatedAt >= since);
        sameIssue = customer is { } known ? sameIssue.Where(c => c.CustomerId == known.Id || c.Phone == phone) : sameIssue.Where(c => c.Phone == phone);
        var earlier = await sameIssue.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        var repeatThreshold = policy.RepeatComplaintEscalationCount;
        var reasons = new List<string>();
        if (earlier.Count > 0 && earlier.Count + 1 >= repeatThreshold)
            reasons.Add(Complaint.Escalations.Repeat);
        if (r.Major == true) reasons.Add(Complaint.Escalations.Major);
        if (r.AngryCustomer == true) reasons.Add(Complaint.Escalations.AngryCustomer);

        var complaint = new Complaint
        {
            BranchId = branchId, PolicyVersionId = policy.VersionId, CustomerId = customer?.Id, CustomerName = r.CustomerName ?? customer?.Name, Phone = phone!,
            WorkOrderId = order?.Id, PersonUserId = person, Type = type!.Value, Level = level, Channel = channel!.Value, Description = r.Description!.Trim(),
            Major = r.Major ?? false, AngryCustomer = r.AngryCustomer ?? false, CustomerDeparted = r.CustomerDeparted ?? false,
            RoutedTo = RoutingKey(type.Value) is { } key ? policy.ComplaintRoutedTo(key) : null,
            OwnerRole = reasons.Count > 0 ? Roles.Manager : Roles.ComplaintHandler, EscalationReason = reasons.Count > 0 ? string.Join(",", reasons) : null,
            RepeatCount = earlier.Count + 1, CreatedAt = now, CreatedByUserId = user.UserId, CreatedBy = user.UserName,
        };
        db.Complaints.Add(complaint);
        await sla.StartComplaint(complaint, policy, now, ct);
        if (order is not null)
        {
            await fines.Handle(complaint, order, now, ct);
            await bonuses.Handle(order, user.UserName, now, ct); // SC-33 edge: a bonus of a closed month is taken back in the next
        }
        else if (complaint.IsAboutTimeliness) complaint.FineNote = ProposeLateContactFine.Note(Msg.Of("No fine: no work order is linked, so no contact deadline can be checked."));
        await findings.ProposeForNamedSupervisor(complaint, order, user.UserName, now, ct);

        var description = complaint.Description.Length > 400 ? complaint.Description[..400] + "…" : complaint.Description;
        var about = Msg.Of("{0} · {1} · {2}", Msg.Code("complaintType", complaint.Type), complaint.CustomerName is { } name ? Msg.Verbatim(name) : Msg.Of("Customer"), description);
        if (reasons.Count > 0)
            Notify.Queue(db, now, "complaintEscalated", branchId, order?.Id, Msg.Of("A complaint for the manager"), Msg.Of("{0} — {1}", about, complaint.EscalationText), [], [Roles.Manager]);
        else
            Notify.Queue(db, now, "complaintRegistered", branchId, order?.Id, Msg.Of("A new complaint"), Msg.Of("{0} — to {1}", about, Msg.Code("dept", complaint.RoutedTo ?? "frontDesk")), [], [Roles.ComplaintHandler]);
        await db.SaveChangesAsync(ct);
        return await access.ToDto(complaint, ct);
    }

    /// <summary>The policy's <c>complaints.routing</c> key of a type: late contact and missed visits are negligence of service staff (CPL-06).</summary>
    public static string? RoutingKey(ComplaintType type) => type switch
    {
        ComplaintType.ProductQualityOrFunction => "productQualityOrFunction",
        ComplaintType.PackagingDamage => "packagingDamage",
        ComplaintType.StaffAttitudeOrNegligence or ComplaintType.LateContact or ComplaintType.NoVisit => "staffAttitudeOrNegligence",
        _ => null,
    };
}

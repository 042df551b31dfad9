using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

/// <summary>
/// A branch of its own with a hand-made March 2025 (and one order in February), every time written as Changsha's wall clock,
/// so each KPI's expected number can be worked out by hand in the test that reads it. Built once per fixture.
/// </summary>
public sealed class CraftedBranch
{
    public required int BranchId { get; init; }
    public required string ManagerUser { get; init; }
    public required int TechA { get; init; }
    public required int TechB { get; init; }
    public required string TechAName { get; init; }
    public required Dictionary<string, long> Orders { get; init; }

    private static readonly Dictionary<string, CraftedBranch> Built = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static DateTimeOffset L(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public static async Task<CraftedBranch> Of(AppFixture app)
    {
        await Gate.WaitAsync();
        try
        {
            if (Built.TryGetValue(app.ConnectionString, out var done)) return done;
            return Built[app.ConnectionString] = await Build(app);
        }
        finally { Gate.Release(); }
    }

    private static async Task<CraftedBranch> Build(AppFixture app)
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"报表{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" }))
            .Expect(HttpStatusCode.Created).Id;
        async Task<int> User(string role, string display)
        {
            var name = $"r{Guid.NewGuid():N}"[..12];
            return (await admin.Post("/api/users", new { username = name, displayName = display, password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
                .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
        }
        var managerName = $"m{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = managerName, displayName = "报表经理", password = AppFixture.Password, roles = new[] { "manager" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        var userA = await User(Roles.Technician, "甲师傅");
        var userB = await User(Roles.Technician, "乙师傅");

        return await app.Db(async db =>
        {
            var b = (int)branch;
            var techA = new Technician { UserId = userA, BranchId = b, Skills = ["ac.repair", "purifier.install", "purifier.repair"] };
            var techB = new Technician { UserId = userB, BranchId = b, Skills = ["ac.repair", "purifier.install", "purifier.repair"] };
            db.Technicians.AddRange(techA, techB);
            var customer = new Fieldline.Web.Features.Customers.Customer { BranchId = b, Name = "报表客户", Phone = Given.Phone(), Address = "长沙市报表路1号", CreatedAt = L(1, 1, 9).ToUniversalTime() };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var actor = new Actor(null, "test", "dispatcher");
            var n = 0;
            WorkOrder New(WorkOrderType type, string line, DateTimeOffset created, long? repeatOf = null)
            {
                var o = new WorkOrder
                {
                    Code = $"WO-RPT-{branch}-{++n:0000}", BranchId = b, Type = type, Channel = Channel.Hotline, PolicyVersionId = policy, CustomerId = customer.Id,
                    ProductLine = line, ContactPerson = "报表客户", ContactPhone = customer.Phone, Address = customer.Address, CreatedAt = created.ToUniversalTime(),
                };
                o.Receive(actor, created.ToUniversalTime(), new { repeatOf }, repeatOf);
                db.WorkOrders.Add(o);
                return o;
            }
            void Work(WorkOrder o, Technician t, DateTimeOffset checkIn, DateTimeOffset done, decimal charge = 0, bool empty = false)
            {
                o.Dispatch(t.Id, actor, o.CreatedAt.AddMinutes(10));
                o.Accept(actor, o.CreatedAt.AddMinutes(12));
                o.Contact(true, checkIn.ToUniversalTime(), checkIn.ToUniversalTime().AddHours(2), null, actor, o.CreatedAt.AddMinutes(15));
                o.CheckIn(28.2, 112.9, actor, checkIn.ToUniversalTime());
                if (empty) o.RecordEmptyTrip("机器正常", actor, done.ToUniversalTime());
                else o.Complete(new Completion("修好", null, null, null, null, null, [],
                    charge > 0 ? [new WorkOrderCharge { Description = "上门费", Amount = charge }] : []), actor, done.ToUniversalTime());
            }

            // March 2025, Changsha time.
            var o1 = New(WorkOrderType.Repair, "ac", L(3, 3, 9)); Work(o1, techA, L(3, 3, 11), L(3, 3, 13), 100m);
            var o2 = New(WorkOrderType.Repair, "ac", L(3, 5, 9)); Work(o2, techA, L(3, 5, 13), L(3, 5, 14));
            var o3 = New(WorkOrderType.Install, "purifier", L(3, 10, 10)); Work(o3, techB, L(3, 10, 12), L(3, 10, 15), 50.50m);
            var o5 = New(WorkOrderType.Repair, "purifier", L(3, 25, 9)); Work(o5, techB, L(3, 25, 10), L(3, 25, 10, 30), empty: true);
            var o6 = New(WorkOrderType.Repair, "ac", L(3, 31, 23, 30)); // March in Changsha, 15:30 UTC
            var o7 = New(WorkOrderType.Repair, "ac", L(4, 1, 0, 30)); // April in Changsha, though still March 31 in UTC
            var o8 = New(WorkOrderType.Repair, "ac", L(2, 10, 9)); Work(o8, techA, L(2, 10, 10), L(2, 10, 12)); // the previous period
            await db.SaveChangesAsync();
            var o4 = New(WorkOrderType.Repair, "ac", L(3, 20, 9), repeatOf: o2.Id); Work(o4, techB, L(3, 20, 10), L(3, 20, 11)); // o2's fault came back
            o1.RecordReturnVisit("reached", 5, new { }, actor, L(3, 4, 10).ToUniversalTime());
            o3.RecordReturnVisit("reached", 3, new { }, actor, L(3, 11, 10).ToUniversalTime());
            await db.SaveChangesAsync();

            SlaClock Clock(WorkOrder o, string name, DateTimeOffset started, ClockState state) => new()
            {
                WorkOrderId = o.Id, BranchId = b, Name = name, RuleId = "DSP-01", StartedAt = started.ToUniversalTime(), TargetMinutes = 30,
                ResponsibleRole = "dispatcher", State = state, StoppedAt = state is ClockState.Met or ClockState.Breached ? started.ToUniversalTime().AddMinutes(20) : null,
            };
            db.SlaClocks.AddRange(
                Clock(o1, "dispatch", L(3, 3, 9), ClockState.Met),
                Clock(o2, "dispatch", L(3, 5, 9), ClockState.Breached),
                Clock(o3, "dispatch", L(3, 10, 10), ClockState.Met),
                Clock(o4, "contact", L(3, 20, 9), ClockState.Met),
                Clock(o6, "dispatch", L(3, 31, 23, 30), ClockState.Running), // still within its time: not decided, not counted
                Clock(o8, "dispatch", L(2, 10, 9), ClockState.Breached)); // February

            var complaint = new Complaint
            {
                BranchId = b, PolicyVersionId = policy, CustomerId = customer.Id, Phone = customer.Phone, WorkOrderId = o3.Id, PersonUserId = userB,
                Type = ComplaintType.StaffAttitudeOrNegligence, Channel = Channel.Hotline, Description = "态度差", OwnerRole = "complaintHandler",
                CreatedAt = L(3, 15, 10).ToUniversalTime(), CreatedBy = "test",
            };
            var groundless = new Complaint
            {
                BranchId = b, PolicyVersionId = policy, CustomerId = customer.Id, Phone = customer.Phone, WorkOrderId = o1.Id, PersonUserId = userA,
                Type = ComplaintType.Other, Channel = Channel.Hotline, Description = "无理投诉", OwnerRole = "complaintHandler",
                CreatedAt = L(3, 16, 10).ToUniversalTime(), CreatedBy = "test",
            };
            groundless.Reject("test", "查无此事", L(3, 16, 12).ToUniversalTime());
            db.Complaints.AddRange(complaint, groundless);

            PenaltyCase Case(string key, string rule, int person, WorkOrder o, decimal amount, DateTimeOffset at) => new()
            {
                BranchId = b, WorkOrderId = o.Id, PersonUserId = person, PenaltyKey = key, RuleIds = rule, Condition = "test", Amount = amount,
                CreatedAt = at.ToUniversalTime(), PolicyVersionId = policy, OccurredOn = DateOnly.FromDateTime(at.DateTime),
            };
            var leak = Case("installLeak", "PEN-69", userB, o3, 100m, L(3, 12, 10));
            var late = Case("lateDispatch", "PEN-13", userA, o2, 50m, L(3, 6, 10));
            db.PenaltyCases.AddRange(leak, late);
            // The leak is found on o5, a repair of the purifier B installed (o3): KPI-12 counts it against B.
            db.LeakFindings.Add(new LeakFinding
            {
                BranchId = b, RepairOrderId = o5.Id, InstallOrderId = o3.Id, InstallerUserId = userB, RepairTechnicianUserId = userB, Leak = LeakKind.Water,
                Outcome = LeakOutcome.InstallerFailedFix, InstalledOn = new DateOnly(2025, 3, 10), AgeDays = 15, Month = new DateOnly(2025, 3, 1),
                FoundAt = L(3, 25, 10, 30).ToUniversalTime(), RecordedBy = "test", Case = leak,
            });
            await db.SaveChangesAsync();
            var march = new PayPeriod(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1));
            leak.Confirm("test", null, L(3, 13, 10).ToUniversalTime(), march);
            late.Confirm("test", null, L(3, 7, 10).ToUniversalTime(), march);
            db.PayLedger.Add(PayLedgerEntry.Pay(b, userA, PayLedgerKind.Subsidy, 30m, "RWD-03", Fieldline.Web.Infrastructure.Localization.Msg.Of("Empty trip"),
                [], new DateOnly(2025, 3, 1), "test", L(3, 25, 12).ToUniversalTime()));
            await db.SaveChangesAsync();

            return new CraftedBranch
            {
                BranchId = b, ManagerUser = managerName, TechA = techA.Id, TechB = techB.Id, TechAName = "甲师傅",
                Orders = new() { ["o1"] = o1.Id, ["o2"] = o2.Id, ["o3"] = o3.Id, ["o4"] = o4.Id, ["o5"] = o5.Id, ["o6"] = o6.Id, ["o7"] = o7.Id, ["o8"] = o8.Id },
            };
        });
    }
}

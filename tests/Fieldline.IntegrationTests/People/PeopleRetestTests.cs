using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class PeopleRetestTestsOnSqlite(SqliteFixture app) : PeopleRetestTests(app);
[Collection(PostgresCollection.Name)] public sealed class PeopleRetestTestsOnPostgres(PostgresFixture app) : PeopleRetestTests(app);

/// <summary>
/// Issue 17 read back as an outsider would check it, under the Gree preset in force: a crafted week of check-ins and leave
/// read back through GET /api/attendance/days with its fines; a suspended, an uninsured and an uncertified technician each
/// refused by dispatch (409, the reason in Chinese) and left out of the plan; personal documents seen only by HR and the
/// person, and their contents in no export, list or log.
/// </summary>
public abstract class PeopleRetestTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Supervisor => app.Api("supervisor");

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    [Fact]
    public async Task SC31_under_gree_a_week_of_two_lates_approved_leave_and_three_days_without_check_in_reads_back_with_50_per_day_and_a_dismissal_review()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (user, tech, userId) = await _given.NewTechnician();
            var phone = app.Api(user);
            var monday = app.Next(DayOfWeek.Monday, 8);
            // The week within one month: lates are counted a month at a time (ATT-03), so a Monday on the 31st would count
            // Tuesday's late as the new month's first.
            if (monday.Day + 5 > DateTime.DaysInMonth(monday.Year, monday.Month)) monday = monday.AddDays(7);
            var day = DateOnly.FromDateTime(monday.Date);
            await app.At(monday);

            // Monday 08:00: the technician asks for Wednesday off on the phone; only a supervisor or manager decides, once.
            var leave = (await phone.Post("/api/leave-requests", new { from = D(day.AddDays(2)), to = D(day.AddDays(2)), reason = "家中有事" })).Expect(HttpStatusCode.Created).Body;
            Assert.Equal("requested", leave["status"]!.GetValue<string>());
            var leaveId = leave["id"]!.GetValue<long>();
            Assert.Equal(["to"], (await phone.Post("/api/leave-requests", new { from = D(day.AddDays(4)), to = D(day.AddDays(3)), reason = "x" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            (await phone.Post($"/api/leave-requests/{leaveId}/approve", new { note = "同意" })).Expect(HttpStatusCode.Forbidden);
            (await _given.Dispatcher.Post($"/api/leave-requests/{leaveId}/approve", new { note = "同意" })).Expect(HttpStatusCode.Forbidden);
            (await Supervisor.Post($"/api/leave-requests/{leaveId}/approve", new { note = "同意" })).Expect(HttpStatusCode.OK);
            (await Supervisor.Post($"/api/leave-requests/{leaveId}/approve", new { note = "同意" })).Expect(HttpStatusCode.Conflict);
            (await Supervisor.Post($"/api/leave-requests/{leaveId}/refuse", new { note = "改主意" })).Expect(HttpStatusCode.Conflict);

            // Monday 09:10 and Tuesday 09:25 (late after 09:00); Wednesday on leave; Thursday to Saturday nothing.
            foreach (var (offset, time) in new[] { (0, new TimeSpan(9, 10, 0)), (1, new TimeSpan(9, 25, 0)) })
            {
                await app.At(new DateTimeOffset(monday.Date.AddDays(offset).Add(time), TimeSpan.FromHours(8)));
                (await phone.Post("/api/attendance/office-check-ins", new { })).Expect(HttpStatusCode.Created);
            }
            await app.At(new DateTimeOffset(monday.Date.AddDays(5).AddHours(10).AddMinutes(30), TimeSpan.FromHours(8))); // Saturday 10:30

            // Each day judged by the timer's own path, under the policy in force; judged again, nothing changes.
            var judge = app.Factory.Services.GetRequiredService<JudgeAttendance>();
            var policy = await app.Db(db => app.Factory.Services.GetRequiredService<PolicyStore>().InForce(db, app.Clock.GetUtcNow(), default));
            var branch = await app.Db(db => db.Technicians.Where(t => t.Id == tech).Select(t => t.BranchId).SingleAsync());
            for (var d = day; d <= day.AddDays(5); d = d.AddDays(1)) Assert.Equal(1, await judge.JudgeOnce(branch, d, policy, default, [tech]));
            for (var d = day; d <= day.AddDays(5); d = d.AddDays(1)) Assert.Equal(0, await judge.JudgeOnce(branch, d, policy, default, [tech]));

            (await phone.Get($"/api/attendance/days?from={D(day)}&to={D(day.AddDays(5))}")).Expect(HttpStatusCode.Forbidden);
            (await Supervisor.Get($"/api/attendance/days?from={D(day.AddDays(5))}&to={D(day)}")).Expect(HttpStatusCode.BadRequest);
            var sheet = (await Supervisor.Get($"/api/attendance/days?branchId={branch}&from={D(day)}&to={D(day.AddDays(5))}")).Expect(HttpStatusCode.OK).Body;
            var mine = sheet["days"]!.AsArray().Where(x => x!["technicianId"]!.GetValue<int>() == tech).OrderBy(x => x!["date"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
            Assert.Equal(["late", "late", "onLeave", "absenteeism", "absenteeism", "absenteeism"], mine.Select(x => x!["status"]!.GetValue<string>()));
            Assert.Equal((10, 25), (mine[0]!["lateMinutes"]!.GetValue<int>(), mine[1]!["lateMinutes"]!.GetValue<int>()));
            Assert.Equal([false, true], mine.Take(2).Select(x => x!["absenceDayFromLates"]!.GetValue<bool>())); // ATT-03: 2 lates = 1 absence day
            Assert.All(mine.Take(3), x => Assert.Null(x!["fine"]));
            Assert.All(mine.Skip(3), x => Assert.Equal(50m, x!["fine"]!.GetValue<decimal>()));          // ATT-10: 50 per day of 旷工
            Assert.All(mine.Skip(3), x => Assert.Equal("旷工", x!["statusText"]!.GetValue<string>()));
            Assert.All(mine.Skip(3), x => Assert.NotNull(x!["penaltyCaseId"]));

            var cases = await app.Db(db => db.PenaltyCases.Where(c => c.PersonUserId == userId).ToListAsync());
            Assert.Equal(150m, cases.Where(c => c.PenaltyKey == "absenteeism").Sum(c => c.Amount));
            Assert.Equal(3, cases.Count(c => c.PenaltyKey == "absenteeism"));
            Assert.Single(cases, c => c.PenaltyKey == "consecutiveAbsenteeism"); // ATT-11: the 3rd consecutive day (leave breaks the run before it)
            Assert.Equal("PEN-50,ATT-11,DSM-15", (await app.Db(db => db.DismissalReviews.SingleAsync(r => r.PersonUserId == userId))).RuleIds);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task Under_gree_a_suspended_an_uninsured_and_an_uncertified_technician_are_each_refused_by_dispatch_in_Chinese_and_left_out_of_the_plan_with_the_reason()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var suspended = await _given.NewTechnician();
            var uninsured = await _given.NewTechnician();
            var uncertified = await _given.NewTechnician();
            (await _given.Manager.Post("/api/suspensions", new { technicianId = suspended.TechnicianId, from = D(Today), to = D(Today.AddDays(2)), reason = "拒绝派工" }))
                .Expect(HttpStatusCode.Created);
            (await Supervisor.Post($"/api/technicians/{uninsured.TechnicianId}/employment/items",
                new { item = "insurance", reference = "PICC-OLD", validFrom = D(Today.AddYears(-1)), validTo = D(Today.AddDays(-1)) })).Expect(HttpStatusCode.OK);

            // Orders for tomorrow 10:00–12:00: one plain repair, one that changes the power supply (an electrician's job, SC-17).
            var tomorrow = Today.AddDays(1);
            var start = new DateTimeOffset(tomorrow.Year, tomorrow.Month, tomorrow.Day, 10, 0, 0, TimeSpan.FromHours(8));
            async Task<long> Order(params string[] jobs)
            {
                var customer = await _given.Customer();
                var serial = await _given.Product(customer);
                return (await _given.Clerk.Post("/api/work-orders", new
                {
                    type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = jobs.Length > 0 ? "需改电源" : "不制冷",
                    requestedWindow = new { start, end = start.AddHours(2) }, jobs,
                })).Expect(HttpStatusCode.Created).Id;
            }
            var plain = await Order();
            var power = await Order("powerSupplyModification");

            foreach (var (who, order, code, chinese) in new[]
                     {
                         (suspended, plain, "suspended", "停工"), (uninsured, plain, "uninsured", "未投保"), (uncertified, power, "certificateMissing", "电工证"),
                     })
            {
                var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.Conflict).Body;
                Assert.Equal([code], Codes(refused["reasons"]!));
                Assert.Contains(chinese, refused["detail"]!.GetValue<string>());
                Assert.Equal(who.TechnicianId, refused["technicianId"]!.GetValue<int>());
                var eligibility = (await _given.Dispatcher.Get($"/api/technicians/{who.TechnicianId}/eligibility?date={D(tomorrow)}&workOrderId={order}")).Expect(HttpStatusCode.OK).Body;
                Assert.False(eligibility["eligible"]!.GetValue<bool>());
                Assert.Equal([code], Codes(eligibility["reasons"]!));
            }
            // Nothing changed by the refusals: both orders still wait for a technician.
            foreach (var id in new[] { plain, power })
                Assert.Null((await _given.Dispatcher.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["technicianId"]);

            var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(tomorrow), seconds = 0.3 })).Expect(HttpStatusCode.OK).Body;
            foreach (var (who, code, chinese) in new[] { (suspended, "suspended", "停工"), (uninsured, "uninsured", "未投保") })
            {
                var left = plan["leftOut"]!.AsArray().Single(t => t!["technicianId"]!.GetValue<int>() == who.TechnicianId)!;
                Assert.Equal([code], Codes(left["reasons"]!));
                Assert.Contains(chinese, left["text"]!.GetValue<string>());
                Assert.DoesNotContain(plan["routes"]!.AsArray(), r => r!["technicianId"]!.GetValue<int>() == who.TechnicianId);
            }
            var barred = plan["excluded"]!.AsArray().Single(x => x!["workOrderId"]!.GetValue<long>() == power && x["technicianId"]!.GetValue<int>() == uncertified.TechnicianId)!;
            Assert.Equal(["certificateMissing"], Codes(barred["reasons"]!));
            Assert.Contains("电工证", barred["text"]!.GetValue<string>());
            Assert.DoesNotContain(plan["routes"]!.AsArray(), r => r!["technicianId"]!.GetValue<int>() == uncertified.TechnicianId
                                                                  && r["stops"]!.AsArray().Any(s => s!["workOrderId"]!.GetValue<long>() == power));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task TRN05_two_desks_recording_the_same_absence_at_once_make_one_fine_and_the_other_is_told_409_not_a_server_error()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var missed = await _given.NewTechnician();
            var id = (await Supervisor.Post("/api/trainings", new { title = "格力厂家培训", kind = "manufacturer", day = D(Today) })).Expect(HttpStatusCode.Created).Id;
            var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
                Supervisor.Post($"/api/trainings/{id}/attendance", new { absent = new[] { missed.TechnicianId } }))));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.Status).Order());
            var fines = (await _given.Manager.Get($"/api/penalty-cases?personUserId={missed.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            Assert.Equal(50m, Assert.Single(fines)!["amount"]!.GetValue<decimal>());
        }
        finally { await Policy("generic"); }
    }

    private static async Task<string> Text(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentType?.MediaType?.Contains("spreadsheet", StringComparison.Ordinal) != true) return Encoding.UTF8.GetString(bytes);
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var all = new StringBuilder();
        foreach (var entry in zip.Entries) { using var r = new StreamReader(entry.Open()); all.Append(await r.ReadToEndAsync()); }
        return all.ToString();
    }

    [Fact]
    public async Task An_ID_card_copy_is_read_only_by_HR_of_the_branch_and_the_person_and_its_number_is_in_no_export_list_notification_or_log_line()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var (user, tech, _) = await _given.NewTechnician();
            const string idNumber = "430102199003071234";
            var scan = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng);
            var record = (await Supervisor.Post($"/api/technicians/{tech}/employment/items", new { item = "idCardCopy", note = $"身份证号 {idNumber}", document = scan }))
                .Expect(HttpStatusCode.OK).Body;
            var url = record["onboarding"]!.AsArray().Single(i => i!["code"]!.GetValue<string>() == "idCardCopy")!["documentUrl"]!.GetValue<string>();

            // HR of the branch and the person read it; the dispatcher may not (403); another technician and another branch's HR do not see it (404).
            Assert.Equal(Given.TinyPng, await (await Supervisor.Get(url)).Expect(HttpStatusCode.OK).Raw.Content.ReadAsByteArrayAsync());
            (await app.Api(user).Get(url)).Expect(HttpStatusCode.OK);
            (await _given.Dispatcher.Get(url)).Expect(HttpStatusCode.Forbidden);
            (await _given.Clerk.Get(url)).Expect(HttpStatusCode.Forbidden);
            (await app.Api("visitor").Get(url)).Expect(HttpStatusCode.Forbidden);
            (await app.Api("tech02").Get(url)).Expect(HttpStatusCode.NotFound);
            (await _given.Dispatcher.Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.Forbidden);
            (await app.Api("tech02").Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.NotFound);
            var outsider = await OtherBranchSupervisor();
            (await app.Api(outsider).Get(url)).Expect(HttpStatusCode.NotFound);
            (await app.Api(outsider).Get($"/api/technicians/{tech}/employment")).Expect(HttpStatusCode.NotFound);
            (await app.Api(outsider).Post($"/api/technicians/{tech}/employment/items", new { item = "idCardCopy", document = scan })).Expect(HttpStatusCode.NotFound);

            // The person works an order; then nothing a non-HR role can read or export carries the number.
            var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
            await app.Tick();
            var reads = new (string User, string Path)[]
            {
                ("manager", "/api/work-orders/export.xlsx"), ("dispatcher", "/api/work-orders/export.xlsx"), ("manager", $"/api/work-orders/{order}"),
                ("manager", "/api/technicians?pageSize=200"), ("dispatcher", "/api/technicians?pageSize=200"), ("dispatcher", "/api/dispatch/board"),
                ("supervisor", "/api/attendance/days"), ("supervisor", "/api/notifications?pageSize=100"), ("manager", "/api/notifications?pageSize=100"),
                (user, "/api/notifications?pageSize=100"), (user, "/api/me"),
            };
            foreach (var (who, path) in reads)
            {
                var reply = await app.Api(who).Get(path);
                Assert.True(reply.Status == HttpStatusCode.OK, $"{who} {path}: {reply.Status}");
                var text = await Text(reply.Raw);
                Assert.False(text.Contains(idNumber, StringComparison.Ordinal), $"{who} {path} shows the ID number");
                Assert.False(text.Contains(url, StringComparison.Ordinal), $"{who} {path} shows the ID copy's address");
            }
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(idNumber, StringComparison.Ordinal) || l.Contains(scan[22..60], StringComparison.Ordinal));
        }
        finally { await Policy("generic"); }
    }

    /// <summary>A new branch's supervisor: HR, but of another branch.</summary>
    private async Task<string> OtherBranchSupervisor()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"外-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"s{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "外分公司主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return name;
    }
}

using System.IO.Compression;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class YearEndTestsOnSqlite(SqliteFixture app) : YearEndTests(app);
[Collection(PostgresCollection.Name)] public sealed class YearEndTestsOnPostgres(PostgresFixture app) : YearEndTests(app);

/// <summary>SC-37 (RPT-17: the year-end statistics by trip category) and SC-29 (the month's complaint rate against 1 %), each in a branch of its own.</summary>
public abstract class YearEndTests(AppFixture app)
{
    /// <summary>A new branch with one technician and one customer; <paramref name="orders"/> completed orders at the given local times.</summary>
    private async Task<(int Branch, List<long> Orders, int TechUserId)> Branch(IReadOnlyList<(DateTimeOffset At, string? Category)> orders)
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"年终{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var user = (await admin.Post("/api/users", new { username = $"y{Guid.NewGuid():N}"[..12], displayName = "丙师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
        var ids = await app.Db(async db =>
        {
            var tech = new Technician { UserId = user, BranchId = branch, Skills = ["ac.repair"] };
            var customer = new Fieldline.Web.Features.Customers.Customer { BranchId = branch, Name = "年终客户", Phone = Given.Phone(), Address = "长沙市年终路1号", CreatedAt = AppFixture.Start };
            db.Technicians.Add(tech);
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var actor = new Actor(null, "test", "dispatcher");
            var list = new List<WorkOrder>();
            var n = 0;
            foreach (var (at, category) in orders)
            {
                var t = at.ToUniversalTime();
                var o = new WorkOrder
                {
                    Code = $"WO-YE-{branch}-{++n:0000}", BranchId = branch, Type = WorkOrderType.Repair, Channel = Channel.Hotline, PolicyVersionId = policy,
                    CustomerId = customer.Id, ProductLine = "ac", ContactPerson = "年终客户", ContactPhone = customer.Phone, Address = customer.Address, CreatedAt = t,
                };
                o.Receive(actor, t, new { });
                o.Dispatch(tech.Id, actor, t.AddMinutes(5));
                o.Accept(actor, t.AddMinutes(6));
                o.Contact(true, t.AddHours(1), t.AddHours(2), null, actor, t.AddMinutes(7));
                o.CheckIn(28.2, 112.9, actor, t.AddHours(1));
                o.Complete(new Completion("修好", null, null, null, null, null, [], []), actor, t.AddHours(2));
                if (category is not null) o.SetTripCategory(category, actor, t.AddHours(3));
                db.WorkOrders.Add(o);
                list.Add(o);
            }
            await db.SaveChangesAsync();
            return list.Select(o => o.Id).ToList();
        });
        return (branch, ids, user);
    }

    [Fact]
    public async Task SC37_the_2014_trips_add_up_to_607_by_category_and_the_report_is_refused_while_one_has_none()
    {
        var distribution = new (string Key, int Trips)[]
        {
            ("postInstallModification", 111), ("partReplacementWithinOneYear", 85), ("paidService", 42),
            ("freeRepairOtherManufacturer", 10), ("userMisuse", 198), ("afterSalesService", 161),
        };
        var start = new DateTimeOffset(2014, 1, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var orders = distribution.SelectMany(d => Enumerable.Repeat<string?>(d.Key, d.Trips)).Select((c, i) => (start.AddHours(13 * i), c)).ToList();
        // The last after-sales trip has no category yet (and no facts that give one): the supervisor must name it.
        orders[^1] = (orders[^1].Item1, null);
        // A trip completed at 00:30 on 1 January 2015 in Changsha (still 2014 in UTC) is not 2014's.
        orders.Add((new DateTimeOffset(2015, 1, 1, 0, 30, 0, TimeSpan.FromHours(8)).AddHours(-2), "userMisuse")); // completes 00:30 on 1 January 2015
        var (branch, ids, _) = await Branch(orders);

        var report = (await app.Api("admin").Get($"/api/reports/year-end?year=2014&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(607, report["total"]!.GetValue<int>());
        Assert.Equal(1, report["uncategorized"]!.GetValue<int>());
        Assert.False(report["balanced"]!.GetValue<bool>());
        var refused = await app.Api("admin").Send(HttpMethod.Get, $"/api/reports/year-end.xlsx?year=2014&branchId={branch}", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);

        var last = ids[606];
        (await app.Api("admin").Post($"/api/work-orders/{last}/trip-category", new { category = "boat" })).Expect(HttpStatusCode.BadRequest);
        (await app.Api("tech01").Post($"/api/work-orders/{last}/trip-category", new { category = "afterSalesService" })).Expect(HttpStatusCode.Forbidden);
        var set = (await app.Api("admin").Post($"/api/work-orders/{last}/trip-category", new { category = "afterSalesService" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("afterSalesService", set["tripCategory"]!.GetValue<string>());

        report = (await app.Api("admin").Get($"/api/reports/year-end?year=2014&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
        Assert.True(report["balanced"]!.GetValue<bool>());
        Assert.Equal(607, report["total"]!.GetValue<int>());
        var counts = report["categories"]!.AsArray().ToDictionary(c => c!["key"]!.GetValue<string>(), c => c!["trips"]!.GetValue<int>());
        foreach (var (key, trips) in distribution) Assert.Equal(trips, counts[key]);
        Assert.Equal(607, counts.Values.Sum());
        Assert.Equal(111, report["categories"]![0]!["reference2014"]!.GetValue<int>());

        var xlsx = await app.Api("admin").Send(HttpMethod.Get, $"/api/reports/year-end.xlsx?year=2014&branchId={branch}", null);
        Assert.Equal(HttpStatusCode.OK, xlsx.Status);
        using var zip = new ZipArchive(new MemoryStream(await xlsx.Raw.Content.ReadAsByteArrayAsync()));
        var sheet = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("安装后改造", sheet);
        Assert.Contains("607", sheet);

        // Another branch's supervisor sees none of it.
        (await app.Api("supervisor").Get($"/api/reports/year-end?year=2014&branchId={branch}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SC29_twelve_complaints_over_a_thousand_completed_orders_is_a_red_complaint_rate_of_1_point_2_percent()
    {
        var start = new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var (branch, ids, techUser) = await Branch(Enumerable.Range(0, 1000).Select(i => (start.AddMinutes(40 * i), (string?)null)).ToList());
        await app.Db(async db =>
        {
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            for (var i = 0; i < 12; i++)
                db.Complaints.Add(new Complaint
                {
                    BranchId = branch, PolicyVersionId = policy, Phone = Given.Phone(), WorkOrderId = ids[i * 80], PersonUserId = techUser,
                    Type = ComplaintType.StaffAttitudeOrNegligence, Channel = Channel.Hotline, Description = "服务态度", OwnerRole = "complaintHandler",
                    CreatedAt = start.AddDays(i * 2).ToUniversalTime(), CreatedBy = "test",
                });
            return await db.SaveChangesAsync();
        });
        var june = (await app.Api("admin").Get($"/api/reports/kpis?from=2024-06-01&to=2024-07-01&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
        var rate = june["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == "complaintRate")!;
        Assert.Equal(1000, rate["denominator"]!.GetValue<decimal>());
        Assert.Equal(12, rate["numerator"]!.GetValue<decimal>());
        Assert.Equal(1.2m, rate["value"]!.GetValue<decimal>());
        Assert.Equal(1m, rate["target"]!.GetValue<decimal>());
        Assert.False(rate["ok"]!.GetValue<bool>());
    }
}

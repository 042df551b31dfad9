using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class FaultStatisticsTestsOnSqlite(SqliteFixture app) : FaultStatisticsTests(app);
[Collection(PostgresCollection.Name)] public sealed class FaultStatisticsTestsOnPostgres(PostgresFixture app) : FaultStatisticsTests(app);

/// <summary>RPT-06: fault categories per product model and month, against the period before; the models whose faults rose.</summary>
public abstract class FaultStatisticsTests(AppFixture app)
{
    private static DateTimeOffset L(int month, int day, int hour) => new(2025, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task RPT06_faults_are_counted_per_product_model_category_and_month_and_a_model_with_more_faults_than_the_period_before_is_rising()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"故障{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        await app.Db(async db =>
        {
            var tech = await db.Technicians.Select(t => t.Id).FirstAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var customer = new Fieldline.Web.Features.Customers.Customer { BranchId = branch, Name = "故障客户", Phone = Given.Phone(), Address = "长沙市故障路1号", CreatedAt = L(1, 1, 9).ToUniversalTime() };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var actor = new Actor(null, "test", "dispatcher");
            var n = 0;
            void Repair(string model, string? fault, DateTimeOffset done, bool empty = false)
            {
                var o = new WorkOrder
                {
                    Code = $"WO-F-{branch}-{++n}", BranchId = branch, Type = WorkOrderType.Repair, Channel = Channel.Hotline, PolicyVersionId = policy, CustomerId = customer.Id,
                    ProductLine = "ac", ProductModel = model, ContactPerson = "故障客户", ContactPhone = customer.Phone, Address = customer.Address, CreatedAt = done.AddHours(-4).ToUniversalTime(),
                };
                o.Receive(actor, o.CreatedAt, new { });
                o.Dispatch(tech, actor, o.CreatedAt.AddMinutes(10));
                o.Accept(actor, o.CreatedAt.AddMinutes(12));
                o.Contact(true, done.AddHours(-2).ToUniversalTime(), done.ToUniversalTime(), null, actor, o.CreatedAt.AddMinutes(15));
                o.CheckIn(28.2, 112.9, actor, done.AddHours(-1).ToUniversalTime());
                if (empty) o.RecordEmptyTrip("机器正常", actor, done.ToUniversalTime());
                else o.Complete(new Completion("修好", fault, null, null, null, null, [], []), actor, done.ToUniversalTime());
                db.WorkOrders.Add(o);
            }
            // The period before (4–31 January, as long as February): KFR-35 once, KFR-26 twice.
            Repair("KFR-35", "压缩机", L(1, 10, 12));
            Repair("KFR-26", "电路板", L(1, 12, 12));
            Repair("KFR-26", "电路板", L(1, 20, 12));
            Repair("KFR-35", "压缩机", L(1, 2, 12)); // before the previous period: not counted
            // February: KFR-35 three times (two compressors, one board), KFR-26 once; an empty trip and a repair with no category do not count.
            Repair("KFR-35", "压缩机", L(2, 3, 12));
            Repair("KFR-35", "压缩机", L(2, 14, 12));
            Repair("KFR-35", "电路板", L(2, 28, 23)); // 23:00 on the 28th in Changsha: February
            Repair("KFR-26", "漏氟", L(2, 5, 12));
            Repair("KFR-26", null, L(2, 6, 12));
            Repair("KFR-26", null, L(2, 7, 12), empty: true);
            Repair("KFR-35", "压缩机", L(3, 1, 0)); // March
            await db.SaveChangesAsync();
            return 0;
        });

        var stats = (await admin.Get($"/api/reports/faults?from=2025-02-01&to=2025-03-01&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("2025-01-04", 4, 3), (stats["previousFrom"]!.GetValue<string>(), stats["repairs"]!.GetValue<int>(), stats["previousRepairs"]!.GetValue<int>()));
        Assert.Equal(["KFR-35"], stats["risingModels"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
        var models = stats["models"]!.AsArray();
        var k35 = models[0]!;
        Assert.Equal(("KFR-35", 3, 1, 75m, true), (k35["model"]!.GetValue<string>(), k35["count"]!.GetValue<int>(), k35["previous"]!.GetValue<int>(), k35["rate"]!.GetValue<decimal>(), k35["rising"]!.GetValue<bool>()));
        Assert.Equal(["压缩机 2/1", "电路板 1/0"], k35["categories"]!.AsArray().Select(c => $"{c!["category"]} {c["count"]}/{c["previous"]}").ToArray());
        Assert.Equal(["2025-02 压缩机 2", "2025-02 电路板 1"], k35["months"]!.AsArray().Select(c => $"{c!["month"]} {c["category"]} {c["count"]}").ToArray());
        var k26 = models[1]!;
        Assert.Equal(("KFR-26", 1, 2, 25m, false), (k26["model"]!.GetValue<string>(), k26["count"]!.GetValue<int>(), k26["previous"]!.GetValue<int>(), k26["rate"]!.GetValue<decimal>(), k26["rising"]!.GetValue<bool>()));

        // Branch isolation, roles, bad periods.
        (await app.Api((await CraftedBranch.Of(app)).ManagerUser).Get($"/api/reports/faults?branchId={branch}")).Expect(HttpStatusCode.NotFound);
        (await app.Api("tech01").Get("/api/reports/faults")).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("to", (await admin.Get("/api/reports/faults?from=2025-03-01&to=2025-02-01")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var page = await app.Api("admin").Send(HttpMethod.Get, $"/reports/faults?from=2025-02-01&to=2025-02-28&branchId={branch}", null);
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }
}

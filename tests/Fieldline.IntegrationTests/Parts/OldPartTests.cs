using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class OldPartTestsOnSqlite(SqliteFixture app) : OldPartTests(app);
[Collection(PostgresCollection.Name)] public sealed class OldPartTestsOnPostgres(PostgresFixture app) : OldPartTests(app);

/// <summary>
/// Old parts back (旧件返回, PRT-01..03, SC-25): a must-return part used on a completion is expected back; the keeper
/// receives it and records genuine or not; the order's parts hand-in is recorded with it (the PRT-01 clock stops), and a
/// non-genuine part makes the brand's fine for the order the technician's.
/// </summary>
public abstract class OldPartTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Keeper => app.Api("warehouse");

    /// <summary>A completed order of tech01 that used one must-return part from the van; the old part's id.</summary>
    private async Task<(long Order, long OldPart, string PartNumber)> CompletedWithMustReturnPart()
    {
        var number = $"O{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "压缩机继电器", productLine = "ac", unitCost = 18m, listPrice = 60m, mustReturn = true })).Expect(HttpStatusCode.Created);
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 1 })).Expect(HttpStatusCode.OK);
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech01"));
        var req = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{req}/issue")).Expect(HttpStatusCode.OK);
        var order = await _given.OrderIn("inProgress");
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Given.CompleteBody(), System.Text.Json.JsonSerializerOptions.Web))!;
        body["partsUsed"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["partNumber"] = number, ["name"] = "压缩机继电器", ["quantity"] = 1 });
        (await app.Api("tech01").Send(HttpMethod.Post, $"/api/work-orders/{order}/complete", null, content: new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json")))
            .Expect(HttpStatusCode.OK);
        var expected = (await Keeper.Get("/api/old-parts?status=expected")).Expect(HttpStatusCode.OK).Body.AsArray().Single(p => p!["workOrderId"]!.GetValue<long>() == order)!;
        Assert.Equal(number, expected["partNumber"]!.GetValue<string>());
        return (order, expected["id"]!.GetValue<long>(), number);
    }

    [Fact]
    public async Task A_must_return_part_used_on_a_completion_is_expected_back_and_receiving_it_records_the_parts_hand_in()
    {
        var (order, oldPart, _) = await CompletedWithMustReturnPart();
        var received = (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = true, condition = "外壳完好" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("received", received["status"]!.GetValue<string>());
        Assert.True(received["genuine"]!.GetValue<bool>());
        var timeline = (await Keeper.Get($"/api/work-orders/{order}")).Body["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!["action"]!.GetValue<string>() == "partsReturned");
        (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = true })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SC25_a_non_genuine_old_part_passes_the_brands_fine_for_the_order_to_the_technician()
    {
        var (order, oldPart, _) = await CompletedWithMustReturnPart();
        (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = false, condition = "非原厂配件" })).Expect(HttpStatusCode.OK);
        Assert.True(await app.Db(db => db.WorkOrders.Where(o => o.Id == order).Select(o => o.Id).AnyAsync()));
        var nonGenuine = await app.Db(async db => (await db.WorkOrders.Include(o => o.Timeline).SingleAsync(o => o.Id == order)).NonGenuinePartReturned);
        Assert.True(nonGenuine);
    }

    [Fact]
    public async Task SC25_PRT03_an_old_part_the_keeper_receives_as_not_genuine_makes_the_brands_500_fine_the_technicians_where_the_company_otherwise_keeps_brand_fines()
    {
        var (order, oldPart, number) = await CompletedWithMustReturnPart();
        var techUser = await app.Db(db => db.Users.Where(u => u.UserName == "tech01").Select(u => u.Id).SingleAsync());
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012", parameters = new { brand = new { passThroughBrandFines = false } } })).Expect(HttpStatusCode.OK);
        try
        {
            // Another branch's keeper does not find it; the same receipt sent twice with one key is received once.
            var stranger = await KeeperOfAnotherBranch();
            (await app.Api(stranger).Post($"/api/old-parts/{oldPart}/receive", new { genuine = false, condition = "非原厂" })).Expect(HttpStatusCode.NotFound);
            var key = Guid.NewGuid().ToString();
            var received = (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = false, condition = "非格力原装,外壳无标识" }, key)).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("received", false), (received["status"]!.GetValue<string>(), received["genuine"]!.GetValue<bool>()));
            Assert.Equal(number, received["partNumber"]!.GetValue<string>());
            var replayed = (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = false, condition = "非格力原装,外壳无标识" }, key)).Expect(HttpStatusCode.OK);
            Assert.True(replayed.Raw.Headers.Contains("Idempotent-Replayed"));
            (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { genuine = true })).Expect(HttpStatusCode.Conflict);
            Assert.Single((await Keeper.Get($"/api/work-orders/{order}")).Body["timeline"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "partsReturned");

            // Gree fines the dealer 500 for the order: the technician bears all of it (PRT-03), though this company keeps other brand fines.
            var fine = (await _given.Manager.Post($"/api/work-orders/{order}/brand-fines", new { amount = 500m, reference = "GREE-2024-0509", reason = "旧件非原装" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(500m, fine["case"]!["amount"]!.GetValue<decimal>());
            Assert.Equal(techUser, fine["case"]!["personUserId"]!.GetValue<int>());
            Assert.Contains("PRT-03", fine["case"]!["ruleIds"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("nonGenuinePartReturned", fine["case"]!["penaltyKey"]!.GetValue<string>());
        }
        finally { await _given.Manager.Put("/api/policy", new { basedOn = "generic" }); }
    }

    /// <summary>A new branch with its own warehouse keeper: the user name.</summary>
    private async Task<string> KeeperOfAnotherBranch()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"衡阳-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"wk{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "衡阳仓管", password = AppFixture.Password, roles = new[] { "warehouseKeeper" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task Receiving_an_old_part_needs_genuine_and_the_keepers_role()
    {
        var (_, oldPart, _) = await CompletedWithMustReturnPart();
        Assert.Contains("genuine", (await Keeper.Post($"/api/old-parts/{oldPart}/receive", new { condition = "好" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api("tech01").Post($"/api/old-parts/{oldPart}/receive", new { genuine = true })).Expect(HttpStatusCode.Forbidden);
    }
}

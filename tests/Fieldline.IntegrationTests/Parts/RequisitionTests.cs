using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class RequisitionTestsOnSqlite(SqliteFixture app) : RequisitionTests(app);
[Collection(PostgresCollection.Name)] public sealed class RequisitionTestsOnPostgres(PostgresFixture app) : RequisitionTests(app);

/// <summary>
/// Requisition and issue (领料): the technician asks on the phone, the keeper issues, the parts move from the warehouse to
/// the van; the completion's catalogue parts come off the van in the completion's save.
/// </summary>
public abstract class RequisitionTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Keeper => app.Api("warehouse");

    private async Task<string> PartInWarehouse(int quantity)
    {
        var number = $"R{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "电容", productLine = "ac", unitCost = 6m, listPrice = 20m })).Expect(HttpStatusCode.Created);
        if (quantity > 0) (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity })).Expect(HttpStatusCode.OK);
        return number;
    }

    private async Task<int> OnVan(string tech, string number)
    {
        var rows = (await app.Api(tech).Get($"/api/stock?partNumber={number}")).Expect(HttpStatusCode.OK).Body.AsArray();
        return rows.Count == 0 ? 0 : rows.Single()!["onHand"]!.GetValue<int>();
    }

    [Fact]
    public async Task A_requisition_issued_by_the_keeper_moves_the_parts_from_the_warehouse_to_the_technicians_van()
    {
        var number = await PartInWarehouse(5);
        var order = await _given.OrderIn("accepted");
        var tech = app.Api("tech01");
        var requested = (await tech.Post("/api/requisitions", new { workOrderId = order, lines = new[] { new { partNumber = number, quantity = 2 } }, note = "换电容" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal("requested", requested["status"]!.GetValue<string>());
        var id = requested["id"]!.GetValue<long>();
        Assert.Contains((await Keeper.Get("/api/requisitions?status=requested")).Expect(HttpStatusCode.OK).Body.AsArray(), r => r!["id"]!.GetValue<long>() == id);

        var issued = (await Keeper.Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("issued", issued["status"]!.GetValue<string>());
        Assert.Equal(2, await OnVan("tech01", number));
        var lines = await app.Db(db => db.StockMovements.Where(m => m.RequisitionId == id).ToListAsync());
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal(order, l.WorkOrderId));
        Assert.Equal(0, lines.Sum(l => l.Quantity));

        (await Keeper.Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_requisition_the_warehouse_cannot_cover_is_a_409_naming_the_part_and_nothing_moves()
    {
        var number = await PartInWarehouse(1);
        var id = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 3 } } })).Expect(HttpStatusCode.Created).Id;
        var refused = (await Keeper.Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.Conflict);
        Assert.Contains(number, refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(0, await OnVan("tech01", number));
        Assert.Equal("requested", (await Keeper.Get("/api/requisitions?status=requested")).Body.AsArray().Single(r => r!["id"]!.GetValue<long>() == id)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Of_two_requisitions_issued_at_once_for_the_last_unit_one_is_issued_and_the_other_is_a_409()
    {
        var number = await PartInWarehouse(1);
        var a = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created).Id;
        var b = (await app.Api("tech02").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created).Id;
        var replies = await Task.WhenAll(Keeper.Post($"/api/requisitions/{a}/issue"), Keeper.Post($"/api/requisitions/{b}/issue"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], replies.Select(r => r.Status).Order().ToArray());
        Assert.Equal(1, await OnVan("tech01", number) + await OnVan("tech02", number));
    }

    [Fact]
    public async Task A_requisition_names_its_bad_lines_and_only_a_technician_asks_for_their_own_order()
    {
        var bad = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = "NO-SUCH-PART-X", quantity = 0 } } })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("lines[0].quantity", bad.ErrorFields);
        var number = await PartInWarehouse(0);
        var unknown = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = "NO-SUCH-PART-X", quantity = 1 }, new { partNumber = number, quantity = 1 } } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["lines[0].partNumber"], unknown.ErrorFields.ToArray());
        var othersOrder = await _given.OrderIn("accepted", "tech02");
        (await app.Api("tech01").Post("/api/requisitions", new { workOrderId = othersOrder, lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.NotFound);
        (await Keeper.Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_completion_takes_its_catalogue_parts_off_the_van_in_the_same_save_and_a_van_without_them_is_a_409()
    {
        var number = await PartInWarehouse(3);
        var id = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.OK);
        var before = await OnVan("tech01", number);

        var order = await _given.OrderIn("inProgress");
        var tooMany = Body(number, before + 1);
        var refused = (await app.Api("tech01").Post($"/api/work-orders/{order}/complete", tooMany)).Expect(HttpStatusCode.Conflict);
        Assert.Contains(number, refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await OnVan("tech01", number));
        Assert.Equal("inProgress", (await app.Api("tech01").Get($"/api/work-orders/{order}")).Str("status"));

        (await app.Api("tech01").Post($"/api/work-orders/{order}/complete", Body(number, 1))).Expect(HttpStatusCode.OK);
        Assert.Equal(before - 1, await OnVan("tech01", number));
        var use = await app.Db(db => db.StockMovements.SingleAsync(m => m.WorkOrderId == order));
        Assert.Equal(-1, use.Quantity);
        Assert.Equal(Fieldline.Web.Features.Parts.StockMovementKind.Use, use.Kind);
    }

    [Fact]
    public async Task A_requisition_issued_twice_with_one_Idempotency_Key_moves_the_parts_once_and_another_branchs_keeper_cannot_issue_it()
    {
        var number = await PartInWarehouse(5);
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech02"));
        var id = (await app.Api("tech02").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 2 } } })).Expect(HttpStatusCode.Created).Id;
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"岳阳-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var stranger = $"wk{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = stranger, displayName = "岳阳仓管", password = AppFixture.Password, roles = new[] { "warehouseKeeper" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        (await app.Api(stranger).Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.NotFound);
        Assert.DoesNotContain((await app.Api(stranger).Get("/api/requisitions")).Expect(HttpStatusCode.OK).Body.AsArray(), r => r!["id"]!.GetValue<long>() == id);
        (await app.Api("tech01").Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("finance").Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(0, await OnVan("tech02", number));

        var key = Guid.NewGuid().ToString();
        (await Keeper.Post($"/api/requisitions/{id}/issue", null, key)).Expect(HttpStatusCode.OK);
        var again = (await Keeper.Post($"/api/requisitions/{id}/issue", null, key)).Expect(HttpStatusCode.OK);
        Assert.True(again.Raw.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await OnVan("tech02", number));
        Assert.Equal(2, await app.Db(db => db.StockMovements.CountAsync(m => m.RequisitionId == id)));
        // The receipt of the same delivery note sent twice with one key is booked once.
        var receiptKey = Guid.NewGuid().ToString();
        for (var i = 0; i < 2; i++)
            (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 4, reference = "GR-7781" }, receiptKey)).Expect(HttpStatusCode.OK);
        var warehouse = (await Keeper.Get($"/api/stock?partNumber={number}")).Body.AsArray().Single(l => l!["locationKind"]!.GetValue<string>() == "warehouse")!;
        Assert.Equal(5 - 2 + 4, warehouse["onHand"]!.GetValue<int>());
    }

    [Fact]
    public async Task Of_two_completions_at_once_that_each_use_the_last_unit_on_the_van_one_is_saved_and_the_other_is_a_409_and_the_van_never_goes_negative()
    {
        var number = await PartInWarehouse(1);
        await _given.SettleMoneyHeldBy(await _given.TechnicianId("tech01"));
        var id = (await app.Api("tech01").Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created).Id;
        (await Keeper.Post($"/api/requisitions/{id}/issue")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, await OnVan("tech01", number));
        var a = await _given.OrderIn("inProgress");
        var b = await _given.OrderIn("inProgress");

        var replies = await Task.WhenAll(app.Api("tech01").Post($"/api/work-orders/{a}/complete", Body(number, 1)), app.Api("tech01").Post($"/api/work-orders/{b}/complete", Body(number, 1)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], replies.Select(r => r.Status).Order().ToArray());
        Assert.Equal(0, await OnVan("tech01", number));
        var statuses = new[] { (await app.Api("tech01").Get($"/api/work-orders/{a}")).Str("status")!, (await app.Api("tech01").Get($"/api/work-orders/{b}")).Str("status")! };
        Assert.Equal(["completed", "inProgress"], statuses.Order(StringComparer.Ordinal).ToArray());
        var (level, sum, uses) = await app.Db(async db =>
        {
            var part = await db.Parts.SingleAsync(p => p.PartNumber == number);
            var van = await db.StockLevels.Where(l => l.PartId == part.Id && db.StockLocations.Any(s => s.Id == l.LocationId && s.TechnicianId != null)).ToListAsync();
            var lines = await db.StockMovements.Where(m => m.PartId == part.Id && m.LocationId == van.Single().LocationId).ToListAsync();
            return (van.Single().OnHand, lines.Sum(m => m.Quantity), lines.Count(m => m.Kind == Fieldline.Web.Features.Parts.StockMovementKind.Use));
        });
        Assert.Equal((0, 0, 1), (level, sum, uses));
    }

    private static object Body(string partNumber, int quantity) => new
    {
        resolution = "更换电容,试机正常", faultCategory = "component", barcode = "GR123456", testRunMinutes = 30,
        checklist = new { powerOff = true, testRun = true, serviceSticker = true }, partsUsed = new[] { new { partNumber, name = "电容", quantity } },
        charges = new[] { new { description = "PVC水管4米", priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m } }, invoiceNumber = "43001234",
        signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng),
        photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
    };
}

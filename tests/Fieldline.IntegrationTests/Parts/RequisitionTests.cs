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

    private static object Body(string partNumber, int quantity) => new
    {
        resolution = "更换电容,试机正常", faultCategory = "component", barcode = "GR123456", testRunMinutes = 30,
        checklist = new { powerOff = true, testRun = true, serviceSticker = true }, partsUsed = new[] { new { partNumber, name = "电容", quantity } },
        charges = new[] { new { description = "PVC水管4米", priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m } }, invoiceNumber = "43001234",
        signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng),
        photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
    };
}

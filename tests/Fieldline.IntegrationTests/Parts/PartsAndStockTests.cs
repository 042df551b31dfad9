using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class PartsAndStockTestsOnSqlite(SqliteFixture app) : PartsAndStockTests(app);
[Collection(PostgresCollection.Name)] public sealed class PartsAndStockTestsOnPostgres(PostgresFixture app) : PartsAndStockTests(app);

/// <summary>
/// The parts catalogue and stock (issue 18, PRT): the keeper adds and imports parts, receives them into the warehouse,
/// moves them to the vans; stock never goes negative, every movement is a line, the on-hand figure is their sum, and of
/// two concurrent takings of the last unit one wins and one is a 409.
/// </summary>
public abstract partial class PartsAndStockTests(AppFixture app)
{
    private Api Keeper => app.Api("warehouse");

    private static string NewNumber() => $"P{Guid.NewGuid():N}"[..12].ToUpperInvariant();

    private async Task<string> NewPart(bool mustReturn = false, string warrantyClass = "covered")
    {
        var number = NewNumber();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "压缩机继电器", productLine = "ac", fitsModels = new[] { "KFR-35GW" }, unitCost = 12.50m, listPrice = 45m, warrantyClass, mustReturn }))
            .Expect(HttpStatusCode.Created);
        return number;
    }

    private async Task<JsonArray> Locations(string user = "warehouse") => (await app.Api(user).Get("/api/stock/locations")).Expect(HttpStatusCode.OK).Body.AsArray();

    private async Task<int> Warehouse() => (await Locations()).Single(l => l!["kind"]!.GetValue<string>() == "warehouse")!["id"]!.GetValue<int>();

    private async Task<int> VanOf(string username)
    {
        var techId = await new Given(app).TechnicianId(username);
        return (await Locations()).Single(l => l!["technicianId"]?.GetValue<int>() == techId)!["id"]!.GetValue<int>();
    }

    private async Task<int> OnHand(int locationId, string partNumber)
    {
        var rows = (await Keeper.Get($"/api/stock?locationId={locationId}&partNumber={partNumber}")).Expect(HttpStatusCode.OK).Body.AsArray();
        return rows.Count == 0 ? 0 : rows.Single()!["onHand"]!.GetValue<int>();
    }

    /// <summary>Every cached level of these parts equals the sum of its movement lines.</summary>
    private Task<List<string>> LevelsThatDisagreeWithTheirLines(params string[] partNumbers) => app.Db(async db =>
    {
        var parts = await db.Parts.Where(p => partNumbers.Contains(p.PartNumber)).Select(p => p.Id).ToListAsync();
        var levels = await db.StockLevels.Where(l => parts.Contains(l.PartId)).ToListAsync();
        var sums = await db.StockMovements.Where(m => parts.Contains(m.PartId)).GroupBy(m => new { m.LocationId, m.PartId })
            .Select(g => new { g.Key.LocationId, g.Key.PartId, Sum = g.Sum(m => m.Quantity) }).ToListAsync();
        return levels.Where(l => sums.SingleOrDefault(s => s.LocationId == l.LocationId && s.PartId == l.PartId)?.Sum != l.OnHand)
            .Select(l => $"{l.LocationId}/{l.PartId}: {l.OnHand}").ToList();
    });

    [Fact]
    public async Task A_part_added_by_the_keeper_is_in_the_catalogue_with_its_costs_warranty_class_and_return_flag()
    {
        var number = await NewPart(mustReturn: true, warrantyClass: "consumable");
        var found = (await app.Api("tech01").Get($"/api/parts?q={number}")).Expect(HttpStatusCode.OK).Body.AsArray().Single()!;
        Assert.Equal("压缩机继电器", found["name"]!.GetValue<string>());
        Assert.Equal(12.50m, found["unitCost"]!.GetValue<decimal>());
        Assert.Equal(45m, found["listPrice"]!.GetValue<decimal>());
        Assert.Equal("consumable", found["warrantyClass"]!.GetValue<string>());
        Assert.True(found["mustReturn"]!.GetValue<bool>());
        Assert.Equal("KFR-35GW", found["fitsModels"]![0]!.GetValue<string>());
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "重复", unitCost = 1m, listPrice = 1m })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_part_with_bad_fields_is_refused_naming_each_field_and_only_the_keeper_may_add_one()
    {
        var reply = (await Keeper.Post("/api/parts", new { partNumber = "", name = "电容", unitCost = -1m, listPrice = 2_000_000m, warrantyClass = "gold" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["listPrice", "partNumber", "unitCost", "warrantyClass"], reply.ErrorFields.Order().ToArray());
        (await app.Api("tech01").Post("/api/parts", new { partNumber = NewNumber(), name = "电容", unitCost = 1m, listPrice = 2m })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("clerk").Post("/api/parts", new { partNumber = NewNumber(), name = "电容", unitCost = 1m, listPrice = 2m })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_workbook_made_outside_the_app_imports_every_row_with_Chinese_headers()
    {
        string a = NewNumber(), b = NewNumber();
        var xlsx = Workbook.Of(
            ["配件编号", "配件名称", "产品线", "适用机型", "成本价", "销售价", "保修类别", "旧件返回"],
            [a, "滤芯", "purifier", "RO-400、RO-500", 35.5m, 88m, "耗材", "否"],
            [b, "主板", "ac", "KFR-35GW", 120m, 260.00m, "保内", "是"]);
        var reply = (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(xlsx))).Expect(HttpStatusCode.OK);
        Assert.Equal(2, reply.Body["created"]!.GetValue<int>());
        var filter = (await Keeper.Get($"/api/parts?q={a}")).Body.AsArray().Single()!;
        Assert.Equal("consumable", filter["warrantyClass"]!.GetValue<string>());
        Assert.Equal(35.5m, filter["unitCost"]!.GetValue<decimal>());
        Assert.Equal(["RO-400", "RO-500"], filter["fitsModels"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
        var board = (await Keeper.Get($"/api/parts?q={b}")).Body.AsArray().Single()!;
        Assert.True(board["mustReturn"]!.GetValue<bool>());
        Assert.Equal("purifier", filter["productLine"]!.GetValue<string>());

        // the same file again updates, it does not duplicate
        var again = (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(xlsx))).Expect(HttpStatusCode.OK);
        Assert.Equal(0, again.Body["created"]!.GetValue<int>());
        Assert.Equal(2, again.Body["updated"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bad_row_is_named_by_its_row_and_column_in_Chinese_and_nothing_of_the_file_is_imported()
    {
        string good = NewNumber(), bad = NewNumber();
        var xlsx = Workbook.Of(
            ["Part number", "Name", "Unit cost", "List price", "Must return"],
            [good, "电容", 8m, 20m, "yes"],
            [bad, "风扇电机", "八元", 20m, "也许"]);
        var reply = (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(xlsx))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["C3", "E3"], reply.ErrorFields.Order().ToArray());
        var message = reply.Body["errors"]!["C3"]![0]!.GetValue<string>();
        Assert.Contains("第 3 行 C 列", message, StringComparison.Ordinal);
        Assert.Contains("成本价", message, StringComparison.Ordinal);
        Assert.Empty((await Keeper.Get($"/api/parts?q={good}")).Body.AsArray());

        var notExcel = new MultipartFormDataContent { { new ByteArrayContent("不是表格"u8.ToArray()), "file", "a.xlsx" } };
        Assert.Contains("file", (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: notExcel)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var noNumber = Workbook.Of(["名称", "成本价", "销售价"], ["电容", 1m, 2m]);
        Assert.Contains("file", (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(noNumber))).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task Receipts_transfers_and_a_stock_take_are_lines_whose_sum_is_the_on_hand_figure()
    {
        var number = await NewPart();
        var (warehouse, van) = (await Warehouse(), await VanOf("tech01"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 10, reference = "GR-2026-118", reason = "供应商到货" })).Expect(HttpStatusCode.OK);
        var moved = (await Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 3, fromLocationId = warehouse, toLocationId = van, reason = "领料" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(7, moved["from"]!["onHand"]!.GetValue<int>());
        Assert.Equal(3, moved["to"]!["onHand"]!.GetValue<int>());
        var counted = (await Keeper.Post("/api/stock/stock-takes", new { locationId = warehouse, partNumber = number, counted = 6, reason = "月末盘点少1个" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(6, counted["onHand"]!.GetValue<int>());
        Assert.Equal(6, await OnHand(warehouse, number));
        Assert.Equal(3, await OnHand(van, number));

        var lines = await app.Db(db => db.StockMovements.Where(m => db.Parts.Any(p => p.Id == m.PartId && p.PartNumber == number)).OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(["Receipt:10", "Transfer:-3", "Transfer:3", "StockTake:-1"], lines.Select(l => $"{l.Kind}:{l.Quantity}").ToArray());
        Assert.All(lines, l => Assert.True(l.ByUserId > 0));
        Assert.Equal("GR-2026-118", lines[0].Reference);
        Assert.Equal(van, lines[1].OtherLocationId);
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task Stock_never_goes_negative_a_transfer_beyond_what_is_on_hand_is_a_409_naming_the_part()
    {
        var number = await NewPart();
        var (warehouse, van) = (await Warehouse(), await VanOf("tech02"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 2 })).Expect(HttpStatusCode.OK);
        var refused = (await Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 3, fromLocationId = warehouse, toLocationId = van })).Expect(HttpStatusCode.Conflict);
        Assert.Contains(number, refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(2, await OnHand(warehouse, number));
        Assert.Equal(0, await OnHand(van, number));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task Of_two_concurrent_transfers_of_the_last_unit_one_wins_and_the_other_is_a_409()
    {
        var number = await NewPart();
        var (warehouse, van1, van2) = (await Warehouse(), await VanOf("tech01"), await VanOf("tech02"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 1 })).Expect(HttpStatusCode.OK);
        for (var round = 0; round < 3; round++)
        {
            var replies = await Task.WhenAll(
                Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 1, fromLocationId = warehouse, toLocationId = van1 }),
                Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 1, fromLocationId = warehouse, toLocationId = van2 }));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], replies.Select(r => r.Status).Order().ToArray());
            // put the unit back for the next round
            var winner = replies.Single(r => r.Status == HttpStatusCode.OK).Body["to"]!["locationId"]!.GetValue<int>();
            (await Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 1, fromLocationId = winner, toLocationId = warehouse })).Expect(HttpStatusCode.OK);
        }
        Assert.Equal(1, await OnHand(warehouse, number) + await OnHand(van1, number) + await OnHand(van2, number));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task A_technician_sees_their_own_van_and_nothing_else_of_the_stock()
    {
        var number = await NewPart();
        var (warehouse, van1, van2) = (await Warehouse(), await VanOf("tech01"), await VanOf("tech02"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 4 })).Expect(HttpStatusCode.OK);
        (await Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 2, fromLocationId = warehouse, toLocationId = van1 })).Expect(HttpStatusCode.OK);
        var tech = app.Api("tech01");
        var mine = (await tech.Get($"/api/stock?partNumber={number}")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(van1, mine.Single()!["locationId"]!.GetValue<int>());
        Assert.Equal(2, mine.Single()!["onHand"]!.GetValue<int>());
        Assert.Equal([van1], (await Locations("tech01")).Select(l => l!["id"]!.GetValue<int>()).ToArray());
        (await tech.Get($"/api/stock?locationId={warehouse}")).Expect(HttpStatusCode.NotFound);
        (await tech.Get($"/api/stock?locationId={van2}")).Expect(HttpStatusCode.NotFound);
        (await tech.Post("/api/stock/receipts", new { partNumber = number, quantity = 1 })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_keeper_exports_the_catalogue_and_the_stock_as_a_Chinese_workbook()
    {
        var number = await NewPart();
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 5 })).Expect(HttpStatusCode.OK);
        var reply = (await Keeper.Get("/api/stock/export.xlsx")).Expect(HttpStatusCode.OK);
        var bytes = await reply.Raw.Content.ReadAsByteArrayAsync();
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        var text = string.Concat(zip.Entries.Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains(number, text, StringComparison.Ordinal);
        Assert.Contains("配件编号", text, StringComparison.Ordinal);
        Assert.Contains("分公司仓库", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_warehouse_page_shows_the_catalogue_and_the_stock_to_the_keeper()
    {
        var number = await NewPart();
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 5 })).Expect(HttpStatusCode.OK);
        var (http, token) = await SignIn("warehouse");
        var html = await http.GetStringAsync("/warehouse");
        Assert.Contains(number, html, StringComparison.Ordinal);
        Assert.Contains("分公司仓库", html, StringComparison.Ordinal);
        Assert.Contains("配件目录", html, StringComparison.Ordinal);

        // the page's import takes the same workbook as the API, and its receipt books into the branch warehouse
        var other = NewNumber();
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Workbook.Of(["配件编号", "配件名称", "成本价", "销售价"], [other, "遥控器", 15m, 30m]));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(file, "Workbook", "目录.xlsx");
        Assert.Equal(HttpStatusCode.Redirect, (await http.PostAsync("/warehouse?handler=Import", form)).StatusCode);
        var receive = await http.PostAsync("/warehouse?handler=Receive", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["MovePartNumber"] = other, ["Quantity"] = "7", ["Reason"] = "到货", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, receive.StatusCode);
        Assert.Equal(7, await OnHand(await Warehouse(), other));
        var refused = await http.PostAsync("/warehouse?handler=Transfer", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["MovePartNumber"] = other, ["Quantity"] = "8", ["FromLocationId"] = (await Warehouse()).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ToLocationId"] = (await VanOf("tech01")).ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = token,
        }));
        Assert.Contains("库存不足", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex TokenField();

    private async Task<(HttpClient Http, string Token)> SignIn(string user)
    {
        var http = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        http.DefaultRequestHeaders.Add("Cookie", "fieldline.lang=c%3Dzh-CN%7Cuic%3Dzh-CN");
        return (http, TokenField().Match(await http.GetStringAsync("/warehouse")).Groups[1].Value);
    }
}

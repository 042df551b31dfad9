using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class ClerkWorkbookTestsOnSqlite(SqliteFixture app) : ClerkWorkbookTests(app);
[Collection(PostgresCollection.Name)] public sealed class ClerkWorkbookTestsOnPostgres(PostgresFixture app) : ClerkWorkbookTests(app);

/// <summary>
/// Issue 18, "a catalogue imported from an Excel file made outside the project" and "Excel import of a stock-take", as an
/// outsider checks them: a clerk's own sheet (a title above the header, columns in another order with units in their
/// headers, a blank row, numbers kept as text, a hidden sheet first), a bad row named by row and column in Chinese with
/// nothing imported, uploads that are not workbooks refused by their content, the warehouse export imported back, and a
/// counted stock-take whose differences become lines — with the wrong role, another branch and a repeated key.
/// </summary>
public abstract class ClerkWorkbookTests(AppFixture app)
{
    private Api Keeper => app.Api("warehouse");

    private static string NewNumber() => $"K{Guid.NewGuid():N}"[..12].ToUpperInvariant();

    private Task<Reply> Import(byte[] xlsx, Api? who = null, string name = "配件目录.xlsx") =>
        (who ?? Keeper).Send(HttpMethod.Post, "/api/parts/import", null, content: Workbook.Upload(xlsx, name));

    private async Task<JsonNode?> Part(string number) => (await Keeper.Get($"/api/parts?q={number}")).Expect(HttpStatusCode.OK).Body.AsArray().SingleOrDefault();

    private async Task<int> Warehouse() =>
        (await Keeper.Get("/api/stock/locations")).Expect(HttpStatusCode.OK).Body.AsArray().Single(l => l!["kind"]!.GetValue<string>() == "warehouse")!["id"]!.GetValue<int>();

    private async Task<int> OnHand(int locationId, string partNumber)
    {
        var rows = (await Keeper.Get($"/api/stock?locationId={locationId}&partNumber={partNumber}")).Expect(HttpStatusCode.OK).Body.AsArray();
        return rows.Count == 0 ? 0 : rows.Single()!["onHand"]!.GetValue<int>();
    }

    private Task<int> Lines(params string[] partNumbers) =>
        app.Db(db => db.StockMovements.CountAsync(m => db.Parts.Any(p => p.Id == m.PartId && partNumbers.Contains(p.PartNumber))));

    private Task<List<string>> LevelsThatDisagreeWithTheirLines(params string[] partNumbers) => app.Db(async db =>
    {
        var parts = await db.Parts.Where(p => partNumbers.Contains(p.PartNumber)).Select(p => p.Id).ToListAsync();
        var levels = await db.StockLevels.Where(l => parts.Contains(l.PartId)).ToListAsync();
        var sums = await db.StockMovements.Where(m => parts.Contains(m.PartId)).GroupBy(m => new { m.LocationId, m.PartId })
            .Select(g => new { g.Key.LocationId, g.Key.PartId, Sum = g.Sum(m => m.Quantity) }).ToListAsync();
        return levels.Where(l => sums.SingleOrDefault(s => s.LocationId == l.LocationId && s.PartId == l.PartId)?.Sum != l.OnHand)
            .Select(l => $"{l.LocationId}/{l.PartId}: {l.OnHand}").ToList();
    });

    /// <summary>A new branch with its own warehouse keeper: the user name.</summary>
    private async Task<string> KeeperOfAnotherBranch()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"株洲-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"wk{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "株洲仓管", password = AppFixture.Password, roles = new[] { "warehouseKeeper" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task A_clerks_own_sheet_with_a_title_row_a_row_number_column_headers_in_another_order_with_units_a_blank_row_and_numbers_kept_as_text_imports_every_part_exactly()
    {
        string filter = NewNumber(), board = NewNumber(), pump = NewNumber();
        var xlsx = ClerkBook.Of(
        [
            ["长沙分公司售后配件目录(2026年12月)"],
            ["制表:仓库 李会计", null, "日期:2026-12-01"],
            ["编号", "销售价（元）", "配件名称", "物料编码*", "成本价(元)", "品类", "是否返旧", "保修类型", "适用型号"],
            [1m, new AsText("88.00"), "PP棉滤芯", filter, new AsText("35.50"), "净水器", "×", "耗材", "RO-400，RO-500"],
            [],
            [2m, new AsText("¥1,200.00"), "变频主板", board, 612.3m, "空调", "√", "保内", "KFR-35GW"],
            [3m, 260m, " 增压泵 ", new AsText(pump), new AsText("１２０．５"), "purifier", "是", null, null],
        ]);
        var reply = (await Import(xlsx)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal((3, 3, 0), (reply["rows"]!.GetValue<int>(), reply["created"]!.GetValue<int>(), reply["updated"]!.GetValue<int>()));

        var f = (await Part(filter))!;
        Assert.Equal(("PP棉滤芯", "purifier", 35.50m, 88.00m, "consumable", false),
            (f["name"]!.GetValue<string>(), f["productLine"]!.GetValue<string>(), f["unitCost"]!.GetValue<decimal>(), f["listPrice"]!.GetValue<decimal>(),
                f["warrantyClass"]!.GetValue<string>(), f["mustReturn"]!.GetValue<bool>()));
        Assert.Equal(["RO-400", "RO-500"], f["fitsModels"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
        var b = (await Part(board))!;
        Assert.Equal(("ac", 612.30m, 1200.00m, "covered", true),
            (b["productLine"]!.GetValue<string>(), b["unitCost"]!.GetValue<decimal>(), b["listPrice"]!.GetValue<decimal>(), b["warrantyClass"]!.GetValue<string>(), b["mustReturn"]!.GetValue<bool>()));
        var p = (await Part(pump))!;
        Assert.Equal(("增压泵", 120.50m, 260.00m, "covered", true),
            (p["name"]!.GetValue<string>(), p["unitCost"]!.GetValue<decimal>(), p["listPrice"]!.GetValue<decimal>(), p["warrantyClass"]!.GetValue<string>(), p["mustReturn"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_bad_row_of_a_clerks_sheet_is_named_by_its_row_and_column_in_Chinese_and_nothing_of_the_sheet_is_imported()
    {
        string good = NewNumber(), bad = NewNumber(), twice = NewNumber();
        var xlsx = ClerkBook.Of(
        [
            ["配件目录"],
            ["配件名称", "配件编号", "成本价", "销售价", "旧件返回"],
            ["电容", good, 8m, 20m, "否"],
            [],
            ["风扇电机", bad, new AsText("八元"), 20m, "否"],
            ["遥控器", twice, 5m, 15m, "否"],
            ["遥控器", twice, 5m, 15m, "也许"],
            [null, NewNumber(), 5m, 15m],
        ]);
        var reply = (await Import(xlsx)).Expect(HttpStatusCode.BadRequest);
        // The table starts in column B: the cost of row 5 is D5; row 7 says "maybe" (F7); row 8 has no name (B8).
        Assert.Equal(["B8", "D5", "F7"], reply.ErrorFields.Order(StringComparer.Ordinal).ToArray());
        var message = reply.Body["errors"]!["D5"]![0]!.GetValue<string>();
        Assert.Equal("第 5 行 D 列:成本价:“八元”不是金额。", message);
        Assert.Contains("第 8 行 B 列", reply.Body["errors"]!["B8"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await Part(good));
        Assert.Null(await Part(twice));

        // Fixed, the same sheet imports; the repeated part number is then named by its row (all-or-nothing again).
        var fixedBook = ClerkBook.Of(
        [
            ["配件目录"],
            ["配件名称", "配件编号", "成本价", "销售价", "旧件返回"],
            ["电容", good, 8m, 20m, "否"],
            ["遥控器", twice, 5m, 15m, "否"],
            ["遥控器", twice, 5m, 15m, "否"],
        ]);
        var repeated = (await Import(fixedBook)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["C5"], repeated.ErrorFields);
        Assert.Contains("已在第 4 行出现", repeated.Body["errors"]!["C5"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await Part(good));
        Assert.Null(await Part(twice));

        // A header without the required columns names them, in Chinese.
        var noCost = (await Import(ClerkBook.Of([["配件编号", "配件名称"], [NewNumber(), "电容"]]))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], noCost.ErrorFields);
        var missing = string.Join(" ", noCost.Body["errors"]!["file"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Contains("成本价", missing, StringComparison.Ordinal);
        Assert.Contains("销售价", missing, StringComparison.Ordinal);
        // A header and nothing under it.
        var empty = (await Import(ClerkBook.Of([["配件编号", "配件名称", "成本价", "销售价"], []]))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("文件的表头下没有配件行。", empty.Body["errors"]!["file"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_upload_that_is_not_an_xlsx_by_its_content_is_refused_naming_the_file_whatever_its_name_and_only_the_keeper_imports()
    {
        var before = await app.Db(db => db.Parts.CountAsync());
        byte[][] notWorkbooks =
        [
            "配件编号,配件名称,成本价,销售价\nA1,电容,8,20\n"u8.ToArray(),                               // a CSV saved as .xlsx
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0, 0, 0, 0, 0],              // an old .xls (OLE) file
            "%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"u8.ToArray(),                                // a PDF
            Zip(("word/document.xml", "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>")), // a Word file
            Zip(("xl/workbook.xml", "<workbook><sheets><sheet name=\"a\"")),                        // a broken workbook
            ClerkBook.Bomb(),                                                                        // 101 MB of XML in a small zip
        ];
        foreach (var bytes in notWorkbooks)
        {
            var reply = (await Import(bytes)).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["file"], reply.ErrorFields);
            Assert.Equal("文件不是 Excel 文件(.xlsx)。", reply.Body["errors"]!["file"]![0]!.GetValue<string>());
        }
        var none = (await Keeper.Send(HttpMethod.Post, "/api/parts/import", null, content: new MultipartFormDataContent { { new StringContent("x"), "sheet" } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["file"], none.ErrorFields);
        // A real workbook named .txt is read by its content.
        var number = NewNumber();
        (await Import(ClerkBook.Of([["配件编号", "配件名称", "成本价", "销售价"], [number, "电容", 8m, 20m]]), name: "目录.txt")).Expect(HttpStatusCode.OK);
        Assert.Equal(before + 1, await app.Db(db => db.Parts.CountAsync()));

        var xlsx = ClerkBook.Of([["配件编号", "配件名称", "成本价", "销售价"], [NewNumber(), "电容", 8m, 20m]]);
        (await Import(xlsx, app.Api("tech01"))).Expect(HttpStatusCode.Forbidden);
        (await Import(xlsx, app.Api("finance"))).Expect(HttpStatusCode.Forbidden);
        (await Import(xlsx, app.Api("supervisor"))).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before + 1, await app.Db(db => db.Parts.CountAsync()));
    }

    [Fact]
    public async Task The_warehouse_export_imports_back_as_it_is_and_holds_every_part_of_the_catalogue()
    {
        var number = NewNumber();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "四通阀", productLine = "ac", fitsModels = new[] { "KFR-35GW", "KFR-26GW" }, unitCost = 66.60m, listPrice = 150m,
            warrantyClass = "consumable", mustReturn = true })).Expect(HttpStatusCode.Created);
        var export = (await Keeper.Get("/api/stock/export.xlsx")).Expect(HttpStatusCode.OK);
        var bytes = await export.Raw.Content.ReadAsByteArrayAsync();
        var sheet = Fieldline.Web.Features.Parts.XlsxSheet.Read(new MemoryStream(bytes))!;
        Assert.Equal(["配件编号", "配件名称", "产品线", "适用机型"], sheet.First().Value.Values.Take(4).ToArray());
        var active = await app.Db(db => db.Parts.CountAsync(p => p.Active));
        Assert.Equal(active, sheet.Count - 1); // every part, not a page of them

        var reply = (await Import(bytes, name: "warehouse.xlsx")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(0, reply["created"]!.GetValue<int>());
        Assert.Equal(active, reply["updated"]!.GetValue<int>());
        var part = (await Part(number))!;
        Assert.Equal(("四通阀", "ac", 66.60m, 150.00m, "consumable", true),
            (part["name"]!.GetValue<string>(), part["productLine"]!.GetValue<string>(), part["unitCost"]!.GetValue<decimal>(), part["listPrice"]!.GetValue<decimal>(),
                part["warrantyClass"]!.GetValue<string>(), part["mustReturn"]!.GetValue<bool>()));
        Assert.Equal(["KFR-35GW", "KFR-26GW"], part["fitsModels"]!.AsArray().Select(m => m!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_stock_take_sheet_names_its_places_in_the_column_the_export_writes_and_each_count_is_booked_where_it_was_made()
    {
        var part = NewNumber();
        (await Keeper.Post("/api/parts", new { partNumber = part, name = "电容", unitCost = 8m, listPrice = 20m })).Expect(HttpStatusCode.Created);
        var locations = (await Keeper.Get("/api/stock/locations")).Expect(HttpStatusCode.OK).Body.AsArray();
        var warehouse = locations.Single(l => l!["kind"]!.GetValue<string>() == "warehouse")!;
        var van = locations.First(l => l!["kind"]!.GetValue<string>() == "van")!;
        var (warehouseId, vanId) = (warehouse["id"]!.GetValue<int>(), van["id"]!.GetValue<int>());
        (await Keeper.Post("/api/stock/receipts", new { partNumber = part, quantity = 10 })).Expect(HttpStatusCode.OK);
        (await Keeper.Post("/api/stock/transfers", new { partNumber = part, quantity = 3, fromLocationId = warehouseId, toLocationId = vanId })).Expect(HttpStatusCode.OK);

        MultipartFormDataContent Upload(byte[] xlsx, int? location)
        {
            var form = new MultipartFormDataContent("fieldline-places") { { new ByteArrayContent(xlsx), "file", "车载盘点.xlsx" } };
            if (location is { } l) form.Add(new StringContent(l.ToString(System.Globalization.CultureInfo.InvariantCulture)), "locationId");
            return form;
        }
        var vanSheet = ClerkBook.Of([["库位", "配件编号", "盘点数量", "原因"], [van["name"]!.GetValue<string>(), part, 2m, "月末盘点"]]);

        // The sheet names the van, the keeper chose the warehouse: refused at the cell, nothing booked anywhere (h5 F15).
        var refused = (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(vanSheet, warehouseId))).Expect(HttpStatusCode.BadRequest);
        var cell = Assert.Single(refused.ErrorFields); // the 库位 cell of the row
        Assert.EndsWith("2", cell);
        Assert.Contains("不是本次盘点所选的库位", refused.Body["errors"]![cell]![0]!.GetValue<string>());
        Assert.Equal((7, 3), (await OnHand(warehouseId, part), await OnHand(vanId, part)));

        // No place chosen: each row's own place.
        var booked = (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(vanSheet, null))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(vanId, booked["locationId"]!.GetValue<int>());
        Assert.Equal((7, 2), (await OnHand(warehouseId, part), await OnHand(vanId, part)));

        // The export's own sheet of both places imports back as counted, the same part once per place.
        var both = ClerkBook.Of([["库位", "配件编号", "盘点数量"], [warehouse["name"]!.GetValue<string>(), part, 6m], [van["name"]!.GetValue<string>(), part, 2m]]);
        (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(both, null))).Expect(HttpStatusCode.OK);
        Assert.Equal((6, 2), (await OnHand(warehouseId, part), await OnHand(vanId, part)));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(part));
    }

    [Fact]
    public async Task A_name_the_export_protected_with_an_apostrophe_imports_back_without_it()
    {
        string plus = NewNumber(), formula = NewNumber(), quoted = NewNumber();
        (await Keeper.Post("/api/parts", new { partNumber = plus, name = "+5V 电源板", productLine = "ac", unitCost = 5m, listPrice = 30m })).Expect(HttpStatusCode.Created);
        (await Keeper.Post("/api/parts", new { partNumber = formula, name = "=HYPERLINK(\"http://x\")", unitCost = 5m, listPrice = 30m })).Expect(HttpStatusCode.Created);
        (await Keeper.Post("/api/parts", new { partNumber = quoted, name = "'原装' 压缩机", unitCost = 5m, listPrice = 30m })).Expect(HttpStatusCode.Created);
        var bytes = await (await Keeper.Get("/api/stock/export.xlsx")).Expect(HttpStatusCode.OK).Raw.Content.ReadAsByteArrayAsync();
        // In the workbook the names stay inert text...
        var cells = System.Xml.Linq.XDocument.Load(new MemoryStream(ZipPart(bytes, "xl/worksheets/sheet1.xml"))).DescendantNodes().OfType<System.Xml.Linq.XText>().Select(t => t.Value);
        Assert.Contains("'+5V 电源板", cells);
        (await Import(bytes, name: "warehouse.xlsx")).Expect(HttpStatusCode.OK);

        // ...and the catalogue reads as it did before the round trip; an apostrophe that protects nothing is the name's own.
        Assert.Equal("+5V 电源板", (await Part(plus))!["name"]!.GetValue<string>());
        Assert.Equal("=HYPERLINK(\"http://x\")", (await Part(formula))!["name"]!.GetValue<string>());
        Assert.Equal("'原装' 压缩机", (await Part(quoted))!["name"]!.GetValue<string>());
    }

    private static byte[] ZipPart(byte[] xlsx, string name)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx));
        var entry = zip.GetEntry(name) ?? throw new InvalidOperationException($"no {name} in the workbook");
        using var s = entry.Open();
        using var copy = new MemoryStream();
        s.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_stock_take_kept_in_Excel_records_each_difference_to_the_book_as_a_line_and_a_bad_row_records_nothing()
    {
        string counted = NewNumber(), same = NewNumber(), found = NewNumber(), untouched = NewNumber();
        foreach (var n in new[] { counted, same, found, untouched })
            (await Keeper.Post("/api/parts", new { partNumber = n, name = "电容", unitCost = 8m, listPrice = 20m })).Expect(HttpStatusCode.Created);
        var warehouse = await Warehouse();
        (await Keeper.Post("/api/stock/receipts", new { partNumber = counted, quantity = 10 })).Expect(HttpStatusCode.OK);
        (await Keeper.Post("/api/stock/receipts", new { partNumber = same, quantity = 5 })).Expect(HttpStatusCode.OK);
        (await Keeper.Post("/api/stock/receipts", new { partNumber = untouched, quantity = 4 })).Expect(HttpStatusCode.OK);
        var linesBefore = await Lines(counted, same, found, untouched);

        MultipartFormDataContent Upload(byte[] xlsx, int? location, string boundary = "fieldline-count")
        {
            var form = new MultipartFormDataContent(boundary) { { new ByteArrayContent(xlsx), "file", "12月盘点.xlsx" } };
            if (location is { } l) form.Add(new StringContent(l.ToString(System.Globalization.CultureInfo.InvariantCulture)), "locationId");
            form.Add(new StringContent("月末盘点"), "reason");
            return form;
        }

        // Bad rows: an unknown part, a negative count, a fraction, a repeated part — each named by its cell; nothing recorded.
        var badBook = ClerkBook.Of(
        [
            ["12月仓库盘点表"],
            ["实盘数量", "物料编码", "差异原因"],
            [new AsText("8"), counted, "破损2个"],
            [3m, "NO-SUCH-PART"],
            [-1m, same],
            [new AsText("2.5"), found],
            [1m, counted],
        ]);
        var refused = (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(badBook, warehouse))).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["B5", "B6", "C4", "C7"], refused.ErrorFields.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("第 5 行 B 列:盘点数量:“-1”不是 0 到 100000 之间的整数。", refused.Body["errors"]!["B5"]![0]!.GetValue<string>());
        Assert.Contains("NO-SUCH-PART", refused.Body["errors"]!["C4"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(linesBefore, await Lines(counted, same, found, untouched));
        Assert.Equal(10, await OnHand(warehouse, counted));

        var book = ClerkBook.Of(
        [
            ["12月仓库盘点表"],
            ["实盘数量", "物料编码", "差异原因"],
            [new AsText("8"), counted, "破损2个"],
            [5m, same],
            [],
            [3m, found],
        ]);
        // Only the keeper; a place of another branch is not found; a place that is not a number is named.
        (await app.Api("tech01").Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(book, warehouse))).Expect(HttpStatusCode.Forbidden);
        var stranger = await KeeperOfAnotherBranch();
        (await app.Api(stranger).Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(book, warehouse))).Expect(HttpStatusCode.NotFound);
        var notANumber = new MultipartFormDataContent { { new ByteArrayContent(book), "file", "a.xlsx" }, { new StringContent("仓库"), "locationId" } };
        Assert.Equal(["locationId"], (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: notANumber)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(linesBefore, await Lines(counted, same, found, untouched));

        // The same upload twice with one Idempotency-Key is recorded once.
        var key = Guid.NewGuid().ToString();
        var first = (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, key, content: Upload(book, warehouse))).Expect(HttpStatusCode.OK).Body;
        var again = await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, key, content: Upload(book, warehouse));
        again.Expect(HttpStatusCode.OK);
        Assert.True(again.Raw.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((3, 2), (first["rows"]!.GetValue<int>(), first["differences"]!.GetValue<int>()));
        var diffs = first["lines"]!.AsArray().Select(l => $"{l!["partNumber"]}:{l["book"]}>{l["counted"]}={l["difference"]}").ToArray();
        Assert.Equal([$"{counted}:10>8=-2", $"{found}:0>3=3"], diffs);
        Assert.Equal((8, 5, 3, 4), (await OnHand(warehouse, counted), await OnHand(warehouse, same), await OnHand(warehouse, found), await OnHand(warehouse, untouched)));
        Assert.Equal(linesBefore + 2, await Lines(counted, same, found, untouched));
        var reasons = await app.Db(db => db.StockMovements.Where(m => m.Kind == Fieldline.Web.Features.Parts.StockMovementKind.StockTake
            && db.Parts.Any(p => p.Id == m.PartId && (p.PartNumber == counted || p.PartNumber == found))).OrderBy(m => m.Id).Select(m => m.Reason + "|" + m.Reference).ToListAsync());
        Assert.Equal(["破损2个|12月盘点.xlsx", "月末盘点|12月盘点.xlsx"], reasons);
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(counted, same, found, untouched));

        // Counted again as the book says: nothing to record.
        var unchanged = (await Keeper.Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Upload(book, warehouse, "again"))).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(0, unchanged["differences"]!.GetValue<int>());
        Assert.Equal(linesBefore + 2, await Lines(counted, same, found, untouched));
    }

    private static byte[] Zip(params (string Path, string Text)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (path, text) in entries)
                using (var w = new StreamWriter(zip.CreateEntry(path).Open())) w.Write(text);
        return output.ToArray();
    }
}

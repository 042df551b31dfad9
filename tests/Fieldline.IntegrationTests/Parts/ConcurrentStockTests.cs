using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Parts;

[Collection(SqliteCollection.Name)] public sealed class ConcurrentStockTestsOnSqlite(SqliteFixture app) : ConcurrentStockTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConcurrentStockTestsOnPostgres(PostgresFixture app) : ConcurrentStockTests(app);

/// <summary>
/// Two keepers (or a keeper and a phone) working at once (h5 F3, F10): a move that sent no version sent nothing stale, so
/// losing a race to another write of the same stock level — or to the insert of a level of a part new to a place — is
/// the server's to sort out. Each request is answered as if it had run alone: no 500, no "stale version" 409, the
/// figures the sum of their lines, and what is stored under an Idempotency-Key is that answer.
/// </summary>
public abstract class ConcurrentStockTests(AppFixture app)
{
    private Api Keeper => app.Api("warehouse");

    private async Task<string> NewPart()
    {
        var number = $"C{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await Keeper.Post("/api/parts", new { partNumber = number, name = "电容", productLine = "ac", unitCost = 2m, listPrice = 8m })).Expect(HttpStatusCode.Created);
        return number;
    }

    private async Task<int> Location(string? technician)
    {
        var locations = (await Keeper.Get("/api/stock/locations")).Expect(HttpStatusCode.OK).Body.AsArray();
        if (technician is null) return locations.Single(l => l!["kind"]!.GetValue<string>() == "warehouse")!["id"]!.GetValue<int>();
        var techId = await new Given(app).TechnicianId(technician);
        return locations.Single(l => l!["technicianId"]?.GetValue<int>() == techId)!["id"]!.GetValue<int>();
    }

    private async Task<int> OnHand(int locationId, string partNumber)
    {
        var rows = (await Keeper.Get($"/api/stock?locationId={locationId}&partNumber={partNumber}")).Expect(HttpStatusCode.OK).Body.AsArray();
        return rows.Count == 0 ? 0 : rows.Single()!["onHand"]!.GetValue<int>();
    }

    /// <summary>Every level of the part next to the sum of its movement lines, where the two differ.</summary>
    private Task<List<string>> LevelsThatDisagreeWithTheirLines(string partNumber) => app.Db(async db =>
    {
        var part = await db.Parts.Where(p => p.PartNumber == partNumber).Select(p => p.Id).SingleAsync();
        var levels = await db.StockLevels.Where(l => l.PartId == part).ToListAsync();
        var sums = await db.StockMovements.Where(m => m.PartId == part).GroupBy(m => m.LocationId).Select(g => new { Location = g.Key, Sum = g.Sum(m => m.Quantity) }).ToListAsync();
        return levels.Where(l => sums.SingleOrDefault(s => s.Location == l.LocationId)?.Sum != l.OnHand).Select(l => $"{l.LocationId}: {l.OnHand}").ToList();
    });

    private static string Statuses(IEnumerable<Reply> replies) =>
        string.Join(", ", replies.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key} {g.First().Body.ToJsonString()}"));

    [Fact]
    public async Task Twenty_transfers_at_once_of_a_part_new_to_the_van_all_succeed_and_the_van_holds_what_was_moved()
    {
        var number = await NewPart();
        var (warehouse, van) = (await Location(null), await Location("tech03"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 100 })).Expect(HttpStatusCode.OK);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 5, fromLocationId = warehouse, toLocationId = van })));

        Assert.True(replies.All(r => r.Status == HttpStatusCode.OK), Statuses(replies));
        Assert.Equal((0, 100), (await OnHand(warehouse, number), await OnHand(van, number)));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task Receipts_at_once_of_a_part_new_to_the_warehouse_add_up_instead_of_failing_on_the_new_level()
    {
        var number = await NewPart();
        var warehouse = await Location(null);

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 1, reference = $"DN-{i}" })));

        Assert.True(replies.All(r => r.Status == HttpStatusCode.OK), Statuses(replies));
        Assert.Equal(12, await OnHand(warehouse, number));
        Assert.Equal(12, await app.Db(db => db.StockMovements.CountAsync(m => db.Parts.Any(p => p.Id == m.PartId && p.PartNumber == number))));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task Different_keyed_transfers_released_together_all_succeed_and_each_key_replays_its_success()
    {
        var number = await NewPart();
        var (warehouse, van1, van2) = (await Location(null), await Location("tech01"), await Location("tech02"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 60 })).Expect(HttpStatusCode.OK);
        var moves = Enumerable.Range(1, 10).Select(i => (Key: Guid.NewGuid().ToString(),
            Body: (object)new { partNumber = number, quantity = i, fromLocationId = warehouse, toLocationId = i % 2 == 0 ? van2 : van1 })).ToList();

        var replies = await Task.WhenAll(moves.Select(m => Keeper.Post("/api/stock/transfers", m.Body, m.Key)));

        Assert.True(replies.All(r => r.Status == HttpStatusCode.OK), Statuses(replies));
        Assert.Equal((5, 25, 30), (await OnHand(warehouse, number), await OnHand(van1, number), await OnHand(van2, number)));
        // The stored answer is the success, not a race lost: sent again with its key, each is replayed and nothing moves again.
        foreach (var (m, first) in moves.Zip(replies))
        {
            var again = (await Keeper.Post("/api/stock/transfers", m.Body, m.Key)).Expect(HttpStatusCode.OK);
            Assert.True(again.Raw.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(first.Body.ToJsonString(), again.Body.ToJsonString());
        }
        Assert.Equal(5, await OnHand(warehouse, number));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }

    [Fact]
    public async Task Of_transfers_at_once_that_together_want_more_than_there_is_those_that_fit_succeed_and_the_rest_are_409_not_enough_stock()
    {
        var number = await NewPart();
        var (warehouse, van) = (await Location(null), await Location("tech04"));
        (await Keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 7 })).Expect(HttpStatusCode.OK);

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Keeper.Post("/api/stock/transfers", new { partNumber = number, quantity = 1, fromLocationId = warehouse, toLocationId = van })));

        Assert.Equal(7, replies.Count(r => r.Status == HttpStatusCode.OK));
        var refused = replies.Where(r => r.Status != HttpStatusCode.OK).ToList();
        Assert.True(refused.All(r => r.Status == HttpStatusCode.Conflict && r.Body["detail"]!.GetValue<string>().Contains(number, StringComparison.Ordinal)), Statuses(replies));
        Assert.Equal((0, 7), (await OnHand(warehouse, number), await OnHand(van, number)));
        Assert.Empty(await LevelsThatDisagreeWithTheirLines(number));
    }
}

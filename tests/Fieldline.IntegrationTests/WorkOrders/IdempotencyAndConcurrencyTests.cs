using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class IdempotencyAndConcurrencyTestsOnSqlite(SqliteFixture app) : IdempotencyAndConcurrencyTests(app);
[Collection(PostgresCollection.Name)] public sealed class IdempotencyAndConcurrencyTestsOnPostgres(PostgresFixture app) : IdempotencyAndConcurrencyTests(app);

public abstract class IdempotencyAndConcurrencyTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task The_same_post_retried_with_one_key_creates_one_order_and_replays_the_first_answer()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var key = Guid.NewGuid().ToString();
        var first = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), key)).Expect(HttpStatusCode.Created);
        var second = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), key)).Expect(HttpStatusCode.Created);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Body["code"]!.ToJsonString(), second.Body["code"]!.ToJsonString());
        Assert.Equal(first.Raw.Headers.Location, second.Raw.Headers.Location);
        Assert.True(second.Raw.Headers.Contains("Idempotent-Replayed"));
        var count = await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task A_retried_transition_with_one_key_is_applied_once()
    {
        var id = await _given.OrderIn("dispatched");
        var key = Guid.NewGuid().ToString();
        var tech = app.Api("tech01");
        var first = (await tech.Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.OK);
        var second = (await tech.Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.OK);
        Assert.Equal(first.Body["version"]!.GetValue<int>(), second.Body["version"]!.GetValue<int>());
        var accepted = (await tech.Get($"/api/work-orders/{id}")).Body["timeline"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "accepted");
        Assert.Equal(1, accepted);
    }

    [Fact]
    public async Task The_same_key_with_another_body_answers_422_and_changes_nothing()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var key = Guid.NewGuid().ToString();
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "不制冷"), key)).Expect(HttpStatusCode.Created);
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "漏水"), key)).Expect((HttpStatusCode)422);
        Assert.Equal(1, await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer)));
    }

    [Fact]
    public async Task The_same_json_sent_again_with_its_members_in_another_order_and_other_spacing_is_the_same_request()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var key = Guid.NewGuid().ToString();
        static StringContent Json(string text) => new(text, System.Text.Encoding.UTF8, "application/json");
        var first = (await _given.Clerk.Send(HttpMethod.Post, "/api/work-orders", null, key,
            content: Json($$"""{"type":"repair","channel":"hotline","customerId":{{customer}},"productSerial":"{{serial}}","faultDescription":"不制冷"}"""))).Expect(HttpStatusCode.Created);
        var again = (await _given.Clerk.Send(HttpMethod.Post, "/api/work-orders", null, key,
            content: Json($$"""{ "faultDescription" : "\u4e0d\u5236\u51b7",  "productSerial": "{{serial}}", "customerId": {{customer}}, "channel": "hotline", "type": "repair" }"""))).Expect(HttpStatusCode.Created);
        Assert.Equal(first.Id, again.Id);
        Assert.True(again.Raw.Headers.Contains("Idempotent-Replayed"));
        // Another value is another request, however it is spaced.
        (await _given.Clerk.Send(HttpMethod.Post, "/api/work-orders", null, key,
            content: Json($$"""{ "type": "repair", "channel": "hotline", "customerId": {{customer}}, "productSerial": "{{serial}}", "faultDescription": "漏水" }"""))).Expect((HttpStatusCode)422);
        Assert.Equal(1, await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer)));
    }

    [Fact]
    public async Task The_same_key_while_the_first_request_still_runs_answers_409()
    {
        var id = await _given.OrderIn("dispatched");
        var key = Guid.NewGuid().ToString();
        var userId = await app.Db(db => db.Users.Where(u => u.UserName == "tech01").Select(u => u.Id).SingleAsync());
        var running = app.Factory.Services.GetRequiredService<IdempotencyInFlight>();
        Assert.True(running.TryStart($"u:{userId}", key)); // the first request, still running
        try
        {
            (await app.Api("tech01").Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.Conflict);
        }
        finally
        {
            running.Finish($"u:{userId}", key);
        }
        Assert.Equal("dispatched", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));
        (await app.Api("tech01").Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Keys_are_kept_seven_days_and_then_removed()
    {
        var customer = await _given.Customer();
        var key = Guid.NewGuid().ToString();
        (await _given.Clerk.Post($"/api/customers/{customer}/products", new { productLine = "ac", model = "M1", serialNumber = $"K{Guid.NewGuid():N}"[..16], warrantyMonths = 0 }, key)).Expect(HttpStatusCode.Created);
        var options = new IdempotencyOptions();
        var removedEarly = await app.Db(db => IdempotencyCleanup.DeleteExpired(db, app.Clock.GetUtcNow().AddDays(6.9), options, default));
        Assert.True(await app.Db(db => db.IdempotencyRecords.AnyAsync(r => r.Key == key)));
        await app.Db(db => IdempotencyCleanup.DeleteExpired(db, app.Clock.GetUtcNow().AddDays(7.1), options, default));
        Assert.False(await app.Db(db => db.IdempotencyRecords.AnyAsync(r => r.Key == key)));
        Assert.True(removedEarly >= 0);
    }

    [Fact]
    public async Task A_retry_of_a_request_keyed_before_bodies_were_compared_as_documents_still_gets_its_original_answer()
    {
        var customer = await _given.Customer();
        var key = Guid.NewGuid().ToString();
        var path = $"/api/customers/{customer}/products";
        var body = new { productLine = "ac", model = "M1", serialNumber = $"U{Guid.NewGuid():N}"[..16], warrantyMonths = 0 };
        var first = (await _given.Clerk.Post(path, body, key)).Expect(HttpStatusCode.Created);
        // The record as the earlier version wrote it: the hash of the body's exact bytes.
        var bytes = await Json.Body(body).ReadAsByteArrayAsync();
        await app.Db(db => db.IdempotencyRecords.Where(r => r.Key == key)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.RequestHash, Fieldline.Web.Infrastructure.Idempotency.IdempotencyMiddleware.ExactHashOf("POST", path, bytes))));

        var retry = (await _given.Clerk.Post(path, body, key)).Expect(HttpStatusCode.Created);
        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(1, await app.Db(db => db.Products.CountAsync(p => p.SerialNumber == body.serialNumber)));
        (await _given.Clerk.Post(path, new { productLine = "ac", model = "M2", serialNumber = body.serialNumber, warrantyMonths = 0 }, key))
            .Expect(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_stale_version_answers_409_and_a_stale_if_match_412()
    {
        var id = await _given.OrderIn("dispatched");
        var current = (await _given.Manager.Get($"/api/work-orders/{id}")).Body["version"]!.GetValue<int>();
        var tech = app.Api("tech01");
        (await tech.Post($"/api/work-orders/{id}/accept", new { version = current - 1 })).Expect(HttpStatusCode.Conflict);
        (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: $"\"{current + 5}\"")).Expect(HttpStatusCode.PreconditionFailed);
        var accepted = (await tech.Post($"/api/work-orders/{id}/accept", new { version = current })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(current + 1, accepted["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_step_that_only_adds_to_the_timeline_raises_the_version_and_a_copy_from_before_it_is_refused()
    {
        // F11: an unreachable customer, the dispatcher's confirming call, a progress call, a slip handed in — each is a
        // change of the order (its timeline, its clocks) though none changes a column of the order's own row.
        var id = await _given.OrderIn("accepted");
        var tech = app.Api("tech01");
        var v = (await tech.Get($"/api/work-orders/{id}")).Body["version"]!.GetValue<int>();

        var first = (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "unreachable", notes = "无人接听", version = v })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(v + 1, first["version"]!.GetValue<int>());
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "unreachable", notes = "再次无人接听", version = v })).Expect(HttpStatusCode.Conflict);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "unreachable" }, ifMatch: $"\"{v}\"")).Expect(HttpStatusCode.PreconditionFailed);

        var confirmed = (await _given.Dispatcher.Post($"/api/work-orders/{id}/confirm-unreachable", new { reached = false, notes = "调度也打不通", version = v + 1 })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(v + 2, confirmed["version"]!.GetValue<int>());
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/confirm-unreachable", new { reached = false, version = v + 1 })).Expect(HttpStatusCode.Conflict);
        // The refused copies changed nothing; the server's read carries the version the answers named.
        var read = (await tech.Get($"/api/work-orders/{id}")).Body;
        Assert.Equal(v + 2, read["version"]!.GetValue<int>());
        Assert.Equal(1, read["timeline"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "contactFailed"));

        var scheduled = await _given.OrderIn("scheduled");
        var before = (await _given.Clerk.Get($"/api/work-orders/{scheduled}")).Body["version"]!.GetValue<int>();
        var called = (await _given.Clerk.Post($"/api/work-orders/{scheduled}/progress-call", new { expectedFinish = app.Clock.GetUtcNow().AddHours(2), anomaly = false, version = before })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(before + 1, called["version"]!.GetValue<int>());
        (await _given.Clerk.Post($"/api/work-orders/{scheduled}/progress-call", new { expectedFinish = app.Clock.GetUtcNow().AddHours(3), anomaly = false, version = before })).Expect(HttpStatusCode.Conflict);

        var completed = await _given.OrderIn("completed");
        var done = (await _given.Clerk.Get($"/api/work-orders/{completed}")).Body["version"]!.GetValue<int>();
        var slip = (await _given.Clerk.Post($"/api/work-orders/{completed}/slip-handed-in", new { version = done })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(done + 1, slip["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_if_match_that_names_no_current_version_is_refused_with_412_and_changes_nothing()
    {
        var id = await _given.OrderIn("dispatched");
        var current = (await _given.Manager.Get($"/api/work-orders/{id}")).Body["version"]!.GetValue<int>();
        var tech = app.Api("tech01");
        foreach (var header in new[] { "\"abc\"", "\"99999999999999999999\"", $"\"{current + 7}\", \"{current + 8}\"", $"W/\"{current}\"", $"\"0{current}\"" })
        {
            var refused = (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: header)).Expect(HttpStatusCode.PreconditionFailed);
            Assert.Contains(current.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Str("detail"), StringComparison.Ordinal);
        }
        var order = (await _given.Manager.Get($"/api/work-orders/{id}")).Body;
        Assert.Equal(current, order["version"]!.GetValue<int>());
        Assert.Equal("dispatched", order["status"]!.GetValue<string>());
        // Any one of the listed versions may be the current one.
        (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: $"\"{current + 9}\", \"{current}\"")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_if_match_that_is_not_an_entity_tag_is_a_bad_request_naming_if_match_and_changes_nothing()
    {
        var id = await _given.OrderIn("dispatched");
        var current = (await _given.Manager.Get($"/api/work-orders/{id}")).Body["version"]!.GetValue<int>();
        var tech = app.Api("tech01");
        foreach (var header in new[] { "abc", "\"7", "\"7\" \"8\"", "W/7" })
            Assert.Equal(["If-Match"], (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: header)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(current, (await _given.Manager.Get($"/api/work-orders/{id}")).Body["version"]!.GetValue<int>());
        (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: current.ToString(System.Globalization.CultureInfo.InvariantCulture))).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_technician_profile_edited_from_a_stale_copy_is_refused()
    {
        var techId = await _given.TechnicianId("tech05");
        var profile = (await _given.Manager.Get($"/api/technicians/{techId}")).Body;
        var version = profile["version"]!.GetValue<int>();
        (await _given.Manager.Patch($"/api/technicians/{techId}", new { version, payGrade = "senior" })).Expect(HttpStatusCode.OK);
        (await _given.Manager.Patch($"/api/technicians/{techId}", new { version, payGrade = "junior" })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("senior", (await _given.Manager.Get($"/api/technicians/{techId}")).Str("payGrade"));
    }

    [Fact]
    public async Task Two_concurrent_acceptances_of_one_order_apply_once()
    {
        var id = await _given.OrderIn("dispatched");
        var tech = app.Api("tech01");
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => tech.Post($"/api/work-orders/{id}/accept")));
        Assert.Equal(1, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        var accepted = (await tech.Get($"/api/work-orders/{id}")).Body["timeline"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "accepted");
        Assert.Equal(1, accepted);
    }

    [Fact]
    public async Task The_timeline_cannot_be_edited_even_directly_in_the_database()
    {
        var id = await _given.OrderIn("accepted");
        await Assert.ThrowsAnyAsync<Exception>(() => app.Db(db => db.Timeline.Where(t => t.WorkOrderId == id).ExecuteUpdateAsync(u => u.SetProperty(t => t.Actor, "someone else"))));
        await Assert.ThrowsAnyAsync<Exception>(() => app.Db(db => db.Timeline.Where(t => t.WorkOrderId == id).ExecuteDeleteAsync()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.Db(async db =>
        {
            var entry = await db.Timeline.FirstAsync(t => t.WorkOrderId == id);
            db.Entry(entry).Property(t => t.Action).CurrentValue = "forged";
            return await db.SaveChangesAsync();
        }));
        Assert.Equal("tech01", (await _given.Manager.Get($"/api/work-orders/{id}")).Body["timeline"]!.AsArray().Last()!["actor"]!.GetValue<string>());
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.ReturnVisits;

[Collection(SqliteCollection.Name)] public sealed class ReturnVisitRetestTestsOnSqlite(SqliteFixture app) : ReturnVisitRetestTests(app);
[Collection(PostgresCollection.Name)] public sealed class ReturnVisitRetestTestsOnPostgres(PostgresFixture app) : ReturnVisitRetestTests(app);

/// <summary>
/// Issue 16 read back as an outsider would check it: orders completed under Gree and Binchun, the queue as the visitor
/// sees it, a visit that answers "no" to every question with the regulation's amounts, hostile requests (wrong role,
/// bad field, illegal transition, one Idempotency-Key twice), the customer's link used twice and after it expired, and a
/// 返修 under Gree (30 days, PEN-86 100).
/// </summary>
public abstract partial class ReturnVisitRetestTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Visitor => app.Api("visitor");

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<long> Completed(string type, (string User, int TechnicianId, int UserId) tech, long? customer = null, string? serial = null, string fault = "不制冷")
    {
        var c = customer ?? await _given.Customer();
        var s = serial ?? await _given.Product(c);
        var body = type == "repair" ? Given.RepairBody(c, s, fault) : new { type, channel = "hotline", customerId = c, productSerial = s, faultDescription = "安装" };
        var id = (await _given.Clerk.Post("/api/work-orders", body)).Expect(HttpStatusCode.Created).Id;
        var t = app.Api(tech.User);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
        return id;
    }

    private static DateTimeOffset Time(JsonNode? n) => DateTimeOffset.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture);

    private async Task<JsonArray> Cases(long orderId) =>
        (await _given.Manager.Get($"/api/penalty-cases?workOrderId={orderId}&pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    private async Task<JsonArray> Visits(long orderId) =>
        (await Visitor.Get($"/api/work-orders/{orderId}/return-visits")).Expect(HttpStatusCode.OK).Body.AsArray();

    [Theory]
    [InlineData("gree-dealer-changsha-2012")]
    [InlineData("binchun-water-purifier-2015")]
    public async Task RV01_the_visitor_reads_the_queue_earliest_due_first_each_order_due_three_days_after_its_completion_in_branch_time_and_other_roles_are_refused(string preset)
    {
        await Policy(preset);
        try
        {
            var tech = await _given.NewTechnician();
            var monday = app.Next(DayOfWeek.Monday, 9, 0);
            await app.At(monday);
            var install = await Completed("install", tech);
            await app.At(monday.AddHours(3));
            var repair = await Completed("repair", tech);
            await app.At(monday.AddHours(5));

            var rows = (await Visitor.Get($"/api/return-visits/due?technicianId={tech.TechnicianId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            Assert.Equal([install, repair], rows.Select(r => r!["workOrderId"]!.GetValue<long>()).ToList());
            foreach (var row in rows)
            {
                var (due, completed) = (Time(row!["dueAt"]), Time(row["completedAt"]));
                Assert.Equal(TimeSpan.FromDays(3), due - completed); // RV-01: within 3 days (4,320 minutes)
                Assert.Equal(TimeSpan.FromHours(8), due.Offset);     // shown in Changsha time
                Assert.Equal(DateOnly.FromDateTime(monday.Date).AddDays(3), DateOnly.FromDateTime(due.Date));
            }
            Assert.True(Time(rows[0]!["dueAt"]) < Time(rows[1]!["dueAt"]));
            // The script carries the regulation's amounts under this preset: tips PEN-25 200, a missing sticker on an installation PEN-75 50 per sticker.
            JsonNode Fine(JsonNode row, string key) => row["script"]!.AsArray().Single(q => q!["key"]!.GetValue<string>() == key)!["fine"]!;
            Assert.Equal(("PEN-25", 200m), (Fine(rows[0]!, "refusedTips")["ruleId"]!.GetValue<string>(), Fine(rows[0]!, "refusedTips")["amount"]!.GetValue<decimal>()));
            Assert.Equal(("PEN-75", 50m, "sticker"), (Fine(rows[0]!, "stickerLeft")["ruleId"]!.GetValue<string>(), Fine(rows[0]!, "stickerLeft")["amount"]!.GetValue<decimal>(),
                Fine(rows[0]!, "stickerLeft")["per"]!.GetValue<string>()));
            Assert.Equal([repair], (await Visitor.Get($"/api/return-visits/due?technicianId={tech.TechnicianId}&type=repair")).Expect(HttpStatusCode.OK).Body["items"]!
                .AsArray().Select(r => r!["workOrderId"]!.GetValue<long>()).ToList());

            // Wrong roles: the technician, the clerk and the dispatcher do not read the queue; a malformed filter is named.
            (await app.Api(tech.User).Get("/api/return-visits/due")).Expect(HttpStatusCode.Forbidden);
            (await _given.Clerk.Get("/api/return-visits/due")).Expect(HttpStatusCode.Forbidden);
            (await _given.Dispatcher.Get("/api/return-visits/due")).Expect(HttpStatusCode.Forbidden);
            (await Visitor.Get("/api/return-visits/due?technicianId=abc")).Expect(HttpStatusCode.BadRequest);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC15_SC16_a_gree_installation_visit_answering_no_to_every_question_proposes_each_fine_once_with_the_regulations_amount_and_hostile_requests_change_nothing()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var tech = await _given.NewTechnician();
            var id = await Completed("install", tech);
            var answers = new Dictionary<string, object>
            {
                ["arrivedOnTime"] = false, ["uniformAndCard"] = false, ["coveredFurniture"] = false, ["refusedWaterAndCigarettes"] = false,
                ["refusedTips"] = "no", ["tipAmount"] = 20, ["explainedUseAndCare"] = false, ["cleanedUp"] = false,
                ["stickerLeft"] = "no", ["unitsWithoutSticker"] = 2, ["cardSigned"] = false,
            };
            var body = new { outcome = "reached", satisfaction = 1, remarks = "样样都不对", answers };

            // Hostile first: wrong roles 403, each bad field 400 naming it — and nothing is recorded.
            (await _given.Clerk.Post($"/api/work-orders/{id}/return-visit", body)).Expect(HttpStatusCode.Forbidden);
            (await app.Api(tech.User).Post($"/api/work-orders/{id}/return-visit", body)).Expect(HttpStatusCode.Forbidden);
            (await _given.Manager.Post($"/api/work-orders/{id}/return-visit", body)).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(["satisfaction"], (await Visitor.Post($"/api/work-orders/{id}/return-visit", body with { satisfaction = 9 })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["outcome"], (await Visitor.Post($"/api/work-orders/{id}/return-visit", body with { outcome = "maybe" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["answers.unitsWithoutSticker"], (await Visitor.Post($"/api/work-orders/{id}/return-visit",
                body with { answers = new Dictionary<string, object>(answers) { ["unitsWithoutSticker"] = -2 } })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["answers.slipDataCorrect"], (await Visitor.Post($"/api/work-orders/{id}/return-visit", // a repair's question, not an installation's
                body with { answers = new Dictionary<string, object>(answers) { ["slipDataCorrect"] = false } })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            (await Visitor.Post("/api/work-orders/99999999/return-visit", body)).Expect(HttpStatusCode.NotFound);
            Assert.Empty(await Visits(id));
            Assert.Empty(await Cases(id));

            // The same request twice with one Idempotency-Key: one attempt, one case per rule, the same answer.
            var key = Guid.NewGuid().ToString();
            var first = (await Visitor.Post($"/api/work-orders/{id}/return-visit", body, key)).Expect(HttpStatusCode.OK);
            var again = (await Visitor.Post($"/api/work-orders/{id}/return-visit", body, key)).Expect(HttpStatusCode.OK);
            Assert.Equal(first.Body.ToJsonString(), again.Body.ToJsonString());
            Assert.Single(await Visits(id));

            // The regulation's amounts (Gree, installer): PEN-18 card 30, PEN-19 covers 30, PEN-24 smoking/drinking 50,
            // PEN-25 tip 200, PEN-75 two stickers × 50 = 100 (SC-15), PEN-33 signature 80 per unit (SC-15).
            var cases = (await Cases(id)).Select(c => (c!["ruleId"]!.GetValue<string>(), c["amount"]!.GetValue<decimal>())).OrderBy(c => c.Item1, StringComparer.Ordinal).ToList();
            Assert.Equal([("PEN-18", 30m), ("PEN-19", 30m), ("PEN-24", 50m), ("PEN-25", 200m), ("PEN-33", 80m), ("PEN-75", 100m)], cases);
            Assert.All(await Cases(id), c => Assert.Equal(tech.UserId, c!["personUserId"]!.GetValue<int>()));
            Assert.Equal(["confirmed", "confirmed"], (await Cases(id)).Where(c => c!["condition"]!.GetValue<string>() == "returnVisitVerified")
                .Select(c => c!["state"]!.GetValue<string>()).ToList()); // SC-16: PEN-24 and PEN-25 confirmed by the visit

            // A second visit of a visited order is an illegal transition and adds nothing.
            (await Visitor.Post($"/api/work-orders/{id}/return-visit", body)).Expect(HttpStatusCode.Conflict);
            Assert.Equal(6, (await Cases(id)).Count);
            Assert.Single(await Visits(id));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC15_binchun_two_units_without_a_sticker_cost_the_installer_100_as_offence_1_and_the_next_visit_finding_it_again_opens_a_dismissal_review()
    {
        await Policy("binchun-water-purifier-2015");
        try
        {
            var tech = await _given.NewTechnician();
            var body = new { outcome = "reached", satisfaction = 3, answers = new Dictionary<string, object> { ["stickerLeft"] = "no", ["unitsWithoutSticker"] = 2 } };
            var first = await Completed("install", tech);
            (await Visitor.Post($"/api/work-orders/{first}/return-visit", body)).Expect(HttpStatusCode.OK);
            var fine = Assert.Single(await Cases(first))!;
            Assert.Equal(("PEN-75", 100m), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>()));
            Assert.Equal(0, await app.Db(db => db.DismissalReviews.CountAsync(r => r.PersonUserId == tech.UserId)));

            var second = await Completed("install", tech);
            (await Visitor.Post($"/api/work-orders/{second}/return-visit", body with { answers = new Dictionary<string, object> { ["stickerLeft"] = "no", ["unitsWithoutSticker"] = 1 } }))
                .Expect(HttpStatusCode.OK);
            Assert.Equal("PEN-75", Assert.Single(await Cases(second))!["ruleId"]!.GetValue<string>());
            Assert.Equal(1, await app.Db(db => db.DismissalReviews.CountAsync(r => r.PersonUserId == tech.UserId)));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task A_visit_before_completion_is_an_illegal_transition_and_records_nothing()
    {
        var open = await _given.OrderIn("accepted");
        var refused = (await Visitor.Post($"/api/work-orders/{open}/return-visit", new { outcome = "reached", satisfaction = 5 })).Expect(HttpStatusCode.Conflict);
        Assert.Equal(409, refused.Body["status"]!.GetValue<int>());
        Assert.Empty(await Visits(open));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [Fact]
    public async Task The_customers_link_used_twice_says_in_Chinese_that_it_was_rated_and_after_it_expired_says_in_Chinese_that_the_link_is_no_longer_valid_and_takes_no_answer()
    {
        var id = await _given.OrderIn("completed");
        var url = (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body["url"]!.GetValue<string>();
        var phone = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await phone.GetStringAsync(url);
        var token = TokenField().Match(form).Groups[1].Value;
        FormUrlEncodedContent Answer(string satisfaction) => new(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Answers[arrivedOnTime]"] = "yes", ["Satisfaction"] = satisfaction,
        });
        var thanks = await phone.PostAsync(url, Answer("5"));
        Assert.Equal(HttpStatusCode.OK, thanks.StatusCode);
        Assert.Contains("谢谢", await thanks.Content.ReadAsStringAsync());

        // Used a second time: already answered, said in Chinese; the second answer changes nothing.
        var second = await phone.PostAsync(url, Answer("1"));
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("这次服务已经评价过了", html);
        Assert.DoesNotContain("rated already", html);
        Assert.Contains("这次服务已经评价过了", await phone.GetStringAsync(url));
        var visit = Assert.Single(await Visits(id))!;
        Assert.Equal(5, visit["satisfaction"]!.GetValue<int>());

        // After seven days the link shows nothing of the order: a Chinese "not found" page, and an answer is not taken.
        var other = await _given.OrderIn("completed");
        var late = (await app.Api("tech01").Get($"/api/work-orders/{other}/rating-link")).Expect(HttpStatusCode.OK).Body["url"]!.GetValue<string>();
        var lateToken = TokenField().Match(await phone.GetStringAsync(late)).Groups[1].Value;
        await app.At(app.LocalNow.AddDays(7).AddMinutes(1));
        var expired = await phone.GetAsync(late);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        var expiredHtml = await expired.Content.ReadAsStringAsync();
        Assert.Contains("此链接已失效", expiredHtml); // on the customer's own page, not the console's error page with its sign-in link
        Assert.DoesNotContain("id=\"report\"", expiredHtml);
        Assert.DoesNotContain("rating-form", expiredHtml);
        Assert.DoesNotContain("/login", expiredHtml);
        var tampered = await phone.GetAsync(late[..^2] + (late.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"));
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Contains("此链接已失效", await tampered.Content.ReadAsStringAsync());
        var posted = await phone.PostAsync(late, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = lateToken, ["Answers[arrivedOnTime]"] = "no", ["Satisfaction"] = "1",
        }));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Empty(await Visits(other));
        Assert.Equal("completed", (await Visitor.Get($"/api/work-orders/{other}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Under_gree_the_same_fault_on_the_same_unit_within_30_days_is_a_repeat_repair_linked_to_the_first_and_proposes_PEN86_100_to_the_first_technician()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var li = await _given.NewTechnician();
            var other = await _given.NewTechnician();
            var customer = await _given.Customer();
            var unit = await _given.Product(customer);
            var first = await Completed("repair", li, customer, unit, "不制冷");
            await app.At(app.LocalNow.AddDays(17));
            var repeat = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, unit, "不制冷"))).Expect(HttpStatusCode.Created).Body;
            Assert.Equal(first, repeat["repeatOf"]!.GetValue<long>());
            var repeatId = repeat["id"]!.GetValue<long>();
            // The dispatcher sees the link on the order too.
            Assert.Equal(first, (await _given.Dispatcher.Get($"/api/work-orders/{repeatId}")).Expect(HttpStatusCode.OK).Body["repeatOf"]!.GetValue<long>());

            var t = app.Api(other.User);
            (await _given.Dispatcher.Post($"/api/work-orders/{repeatId}/dispatch", new { technicianId = other.TechnicianId })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{repeatId}/accept")).Expect(HttpStatusCode.OK);
            var at = app.LocalNow.AddHours(1);
            (await t.Post($"/api/work-orders/{repeatId}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{repeatId}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            (await t.Post($"/api/work-orders/{repeatId}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
            var fine = Assert.Single(await Cases(repeatId))!;
            Assert.Equal(("PEN-86", 100m, "proposed", li.UserId), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>(), fine["state"]!.GetValue<string>(),
                fine["personUserId"]!.GetValue<int>()));
        }
        finally { await Policy("generic"); }
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.ReturnVisits;

[Collection(SqliteCollection.Name)] public sealed class CustomerRatingTestsOnSqlite(SqliteFixture app) : CustomerRatingTests(app);
[Collection(PostgresCollection.Name)] public sealed class CustomerRatingTestsOnPostgres(PostgresFixture app) : CustomerRatingTests(app);

/// <summary>
/// The customer rates the job through a signed, expiring link (no login): the answer is a reached return visit, the agent's
/// queue skips the order, a second answer changes nothing, and an expired or tampered link shows nothing.
/// </summary>
public abstract partial class CustomerRatingTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private HttpClient Phone() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<(long Id, string Url)> CompletedWithLink()
    {
        var id = await _given.OrderIn("completed");
        var link = (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body;
        var url = link["url"]!.GetValue<string>();
        Assert.StartsWith($"/v/{id}?e=", url);
        return (id, url);
    }

    private static async Task<(HttpResponseMessage Reply, string Token)> Answer(HttpClient phone, string url, Dictionary<string, string> fields, string? token = null)
    {
        token ??= TokenField().Match(await phone.GetStringAsync(url)).Groups[1].Value;
        fields["__RequestVerificationToken"] = token;
        return (await phone.PostAsync(url, new FormUrlEncodedContent(fields)), token);
    }

    [Fact]
    public async Task The_customers_answer_is_a_reached_visit_that_leaves_the_queue_and_a_second_answer_changes_nothing()
    {
        var (id, url) = await CompletedWithLink();
        var phone = Phone();
        var page = await phone.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("服务评价", html);
        Assert.Contains("是否拒收小费和礼品", html);
        Assert.DoesNotContain("unitsWithoutSticker", html);

        var (answered, token) = await Answer(phone, url, new() { ["Answers[refusedTips]"] = "no", ["Answers[arrivedOnTime]"] = "yes", ["Satisfaction"] = "4", ["Remarks"] = "师傅收了红包" });
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("id=\"thanks\"", await answered.Content.ReadAsStringAsync());
        var order = (await app.Api("visitor").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("visited", 4), (order["status"]!.GetValue<string>(), order["satisfaction"]!.GetValue<int>()));
        var visit = Assert.Single((await app.Api("visitor").Get($"/api/work-orders/{id}/return-visits")).Expect(HttpStatusCode.OK).Body.AsArray())!;
        Assert.Equal(("reached", "customer", "customer"), (visit["outcome"]!.GetValue<string>(), visit["channel"]!.GetValue<string>(), visit["by"]!.GetValue<string>()));
        Assert.DoesNotContain((await app.Api("visitor").Get("/api/return-visits/due")).Body["items"]!.AsArray(), r => r!["workOrderId"]?.GetValue<long>() == id);
        var cases = (await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal("PEN-25", Assert.Single(cases)!["ruleId"]!.GetValue<string>());

        // Answered twice: the page thanks again, nothing is added, and the agent has nothing left to record.
        Assert.Contains("id=\"answered\"", await phone.GetStringAsync(url));
        var (again, _) = await Answer(phone, url, new() { ["Answers[refusedTips]"] = "no", ["Satisfaction"] = "1" }, token);
        Assert.Contains("id=\"answered\"", await again.Content.ReadAsStringAsync());
        Assert.Single((await app.Api("visitor").Get($"/api/work-orders/{id}/return-visits")).Body.AsArray());
        Assert.Single((await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Body["items"]!.AsArray());
        (await app.Api("visitor").Post($"/api/work-orders/{id}/return-visit", new { outcome = "reached", satisfaction = 5 })).Expect(HttpStatusCode.Conflict);
        (await app.Api("tech01").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_customer_who_sends_the_form_without_a_score_is_asked_for_one_in_their_own_words_beside_the_score_and_keeps_what_they_chose()
    {
        // h4 F13: the customer was told the agent's rule, "联系上客户时，请填写满意度（1–5）。".
        var (id, url) = await CompletedWithLink();
        var phone = Phone();
        var (reply, _) = await Answer(phone, url, new() { ["Answers[arrivedOnTime]"] = "yes", ["Remarks"] = "师傅很准时" });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var html = await reply.Content.ReadAsStringAsync();
        Assert.Contains("<p class=\"field-error\" id=\"satisfaction-error\" role=\"alert\">请选择您的总体满意度（1–5 分）。</p>", html);
        Assert.DoesNotContain("联系上客户", html);
        Assert.Contains("value=\"yes\" checked=\"checked\"", html);
        Assert.Contains(">师傅很准时</textarea>", html);
        Assert.Equal("completed", (await app.Api("visitor").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Completing_an_order_texts_the_customer_the_signed_rating_link_in_Chinese_once_even_when_the_completion_is_retried()
    {
        var id = await _given.OrderIn("inProgress");
        var order = (await app.Api("tech01").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
        var key = Guid.NewGuid().ToString();
        (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Given.CompleteBody(), idempotencyKey: key)).Expect(HttpStatusCode.OK);
        // The phone lost the answer and sends the same completion again, then once more without its key.
        (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Given.CompleteBody(), idempotencyKey: key)).Expect(HttpStatusCode.OK);
        (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.Conflict);

        var sms = Assert.Single(await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.WorkOrderId == id && m.Kind == "ratingLink").ToListAsync()));
        Assert.Equal((Fieldline.Web.Features.Notifications.OutboxChannel.Sms, order["contactPhone"]!.GetValue<string>()), (sms.Channel, sms.ToPhone));
        var text = StoredText.Render(sms.Title, Catalogue.Chinese) + " " + StoredText.Render(sms.Body, Catalogue.Chinese);
        Assert.Contains("请评价", text);
        Assert.Contains(order["code"]!.GetValue<string>(), text);
        var url = SmsLink().Match(text).Value;
        Assert.StartsWith($"/v/{id}?e=", url);

        // The texted link is the customer's page; their answer is the visit, and the agent's queue skips the order.
        var phone = Phone();
        Assert.Contains("服务评价", await phone.GetStringAsync(url));
        var (answered, _) = await Answer(phone, url, new() { ["Answers[arrivedOnTime]"] = "yes", ["Answers[refusedTips]"] = "yes", ["Satisfaction"] = "5" });
        Assert.Contains("id=\"thanks\"", await answered.Content.ReadAsStringAsync());
        Assert.DoesNotContain((await app.Api("visitor").Get("/api/return-visits/due")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
            r => r!["workOrderId"]?.GetValue<long>() == id);
        Assert.Equal("visited", (await app.Api("visitor").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [GeneratedRegex(@"/v/\d+\?e=\d+&s=[A-Za-z0-9_-]+")]
    private static partial Regex SmsLink();

    [Fact]
    public async Task With_a_public_base_url_configured_the_completion_SMS_and_every_link_given_to_a_customer_start_with_it()
    {
        // The office and the phones reach the server by an internal address; customers by the public one.
        await using var node = app.Create(b => b.UseSetting("Fieldline:Mobile:PublicBaseUrl", "https://service.example.com/"));
        var tech = new Api(node.CreateClient(), app, "tech01");
        var id = await _given.OrderIn("inProgress");
        (await tech.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);

        var sms = Assert.Single(await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.WorkOrderId == id && m.Kind == "ratingLink").ToListAsync()));
        var text = StoredText.Render(sms.Body, Catalogue.Chinese);
        Assert.Contains($"https://service.example.com/v/{id}?e=", text);
        Assert.DoesNotContain("localhost", text);

        // The links the phone shares: the public address before the path (the path alone stays in url).
        var rating = (await tech.Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.OK).Body;
        Assert.StartsWith($"/v/{id}?e=", rating["url"]!.GetValue<string>());
        Assert.Equal("https://service.example.com" + rating["url"]!.GetValue<string>(), rating["publicUrl"]!.GetValue<string>());
        var report = (await tech.Get($"/api/work-orders/{id}/report-link")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("https://service.example.com" + report["url"]!.GetValue<string>(), report["publicUrl"]!.GetValue<string>());
        Assert.StartsWith($"https://service.example.com/r/{id}?e=", report["publicUrl"]!.GetValue<string>());
        // The texted link opens the customer's page (the path is what the server checks).
        Assert.Contains("服务评价", await Phone().GetStringAsync(SmsLink().Match(text).Value));

        // Without the setting a link is the path alone: the phone puts its own address before it.
        var plain = (await app.Api("tech01").Get($"/api/work-orders/{id}/report-link")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(plain["url"]!.GetValue<string>(), plain["publicUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_or_tampered_link_shows_nothing()
    {
        var (_, url) = await CompletedWithLink();
        var phone = Phone();
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync(url[..^2] + (url.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync(url.Replace("/v/", "/r/", StringComparison.Ordinal))).StatusCode); // not a report link
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync(url)).StatusCode);
        await app.At(app.LocalNow.AddDays(7).AddMinutes(1));
        Assert.Equal(HttpStatusCode.NotFound, (await phone.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task One_address_using_a_link_too_often_is_slowed_down()
    {
        var (_, url) = await CompletedWithLink();
        var phone = Phone();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 32; i++) statuses.Add((await phone.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
    }

    [Fact]
    public async Task Only_a_completed_order_the_caller_may_see_gets_a_rating_link()
    {
        var open = await _given.OrderIn("accepted");
        (await app.Api("tech01").Get($"/api/work-orders/{open}/rating-link")).Expect(HttpStatusCode.Conflict);
        var (id, _) = await CompletedWithLink();
        (await app.Api("tech02").Get($"/api/work-orders/{id}/rating-link")).Expect(HttpStatusCode.NotFound);
    }
}

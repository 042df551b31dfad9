using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.ReturnVisits;

[Collection(SqliteCollection.Name)] public sealed class FineTextTestsOnSqlite(SqliteFixture app) : FineTextTests(app);
[Collection(PostgresCollection.Name)] public sealed class FineTextTestsOnPostgres(PostgresFixture app) : FineTextTests(app);

/// <summary>
/// A fine a return visit confirms reads as people name it: the agent's message names the fine beside its rule id, the
/// order page's evidence names the agent by name (not the login) without the script's internal version, and the API's
/// evidence says what was found in the reader's language, as its <c>fine</c> does.
/// </summary>
public abstract class FineTextTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_sticker_missing_at_the_visit_is_named_by_the_fine_and_the_agent_by_name_on_the_page_and_in_the_API()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        try
        {
            var customer = await _given.Customer();
            var serial = await _given.Product(customer);
            var id = (await _given.Clerk.Post("/api/work-orders", new { type = "install", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "安装" }))
                .Expect(HttpStatusCode.Created).Id;
            var tech = await _given.NewTechnician();
            var t = app.Api(tech.User);
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = app.LocalNow.AddHours(1), end = app.LocalNow.AddHours(3) } })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
            app.Clock.Advance(TimeSpan.FromMinutes(30));
            (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);

            var visitor = await ConsoleSession.SignIn(app, "visitor");
            await visitor.Get($"/return-visits/{id}");
            var landed = await visitor.Post($"/return-visits/{id}?handler=Record", [new("Outcome", "reached"), new("Satisfaction", "3"), new("Answers[stickerLeft]", "no"), new("Answers[unitsWithoutSticker]", "1")]);

            var c = (await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray().Single()!;
            var key = c["penaltyKey"]!.GetValue<string>();
            var ruleId = c["ruleId"]!.GetValue<string>();
            var name = Catalogue.Find("fine." + key, Catalogue.Chinese)!;
            Assert.Contains($"{name}({ruleId})", landed, StringComparison.Ordinal); // 已确认罚款:未贴…(PEN-75), not the rule id alone

            Assert.Equal(name, c["evidence"]!["trigger"]!.GetValue<string>());
            Assert.Equal(c["fine"]!.GetValue<string>(), c["evidence"]!["trigger"]!.GetValue<string>());
            var english = (await _given.Manager.InLanguage("en").Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]![0]!;
            Assert.Equal(Catalogue.Find("fine." + key, Catalogue.English), english["evidence"]!["trigger"]!.GetValue<string>());

            var agent = await app.Db(db => db.Users.Where(u => u.UserName == "visitor").Select(u => u.DisplayName).SingleAsync());
            var page = await (await ConsoleSession.SignIn(app, "manager")).Get($"/orders/{id}");
            var row = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(page).QuerySelector("#penalties tr")!;
            Assert.Contains(agent, row.TextContent, StringComparison.Ordinal);
            Assert.Contains(name, row.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain(">visitor<", row.InnerHtml, StringComparison.Ordinal);
            Assert.DoesNotContain("rv-2026", row.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("话术版本", row.TextContent, StringComparison.Ordinal);
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }
}

using System.Globalization;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class ViolationPageRoleTestsOnSqlite(SqliteFixture app) : ViolationPageRoleTests(app);
[Collection(PostgresCollection.Name)] public sealed class ViolationPageRoleTestsOnPostgres(PostgresFixture app) : ViolationPageRoleTests(app);

/// <summary>
/// 违规登记 is every finder's screen, not only the supervisor's: the warehouse keeper records the parts and tools
/// findings the regulation gives the warehouse (PEN-03, PEN-09), sees no other rule and not the branch's penalty cases.
/// </summary>
public abstract class ViolationPageRoleTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task The_warehouse_keeper_records_a_parts_finding_on_the_violations_page_and_is_offered_only_the_parts_and_tools_rules()
    {
        var (_, _, userId) = await _given.NewTechnician();
        var warehouse = await ConsoleSession.SignIn(app, "warehouse");
        Assert.Contains("href=\"/manage/violations\"", await warehouse.Get("/warehouse"));
        var form = await warehouse.Get("/manage/violations");
        Assert.Contains("value=\"partsNotReturned\"", form);
        Assert.Contains("value=\"missingToolAtMonthlyCheck\"", form);
        Assert.DoesNotContain("value=\"uniformBadgeMissingOrShabby\"", form);
        Assert.DoesNotContain("id=\"recent\"", form); // the branch's cases are not the warehouse's to read
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(form));

        var done = await warehouse.Post("/manage/violations", new Dictionary<string, string>
        {
            ["RuleId"] = "partsNotReturned", ["PersonUserId"] = userId.ToString(CultureInfo.InvariantCulture), ["Count"] = "1", ["Note"] = "旧件未按期交回",
        });
        Assert.DoesNotContain("field-error", done);
        var cases = (await _given.Manager.Get($"/api/penalty-cases?personUserId={userId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal("PEN-03", Assert.Single(cases)!["ruleId"]!.GetValue<string>());

        // A rule outside the warehouse's findings (a forged form) is refused in Chinese, and nothing is recorded.
        var refused = await warehouse.Post("/manage/violations", new Dictionary<string, string>
        {
            ["RuleId"] = "uniformBadgeMissingOrShabby", ["PersonUserId"] = userId.ToString(CultureInfo.InvariantCulture), ["Count"] = "1",
        });
        Assert.Contains("class=\"flash bad\"", refused);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(refused));
        Assert.Single((await _given.Manager.Get($"/api/penalty-cases?personUserId={userId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());

        var technician = await ConsoleSession.SignIn(app, "tech01");
        Assert.Equal(HttpStatusCode.Forbidden, await technician.Status("/manage/violations"));
    }
}

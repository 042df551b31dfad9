using System.Net;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class PolicyNumberBoundsTestsOnSqlite(SqliteFixture app) : PolicyNumberBoundsTests(app);
[Collection(PostgresCollection.Name)] public sealed class PolicyNumberBoundsTestsOnPostgres(PostgresFixture app) : PolicyNumberBoundsTests(app);

/// <summary>
/// A policy number is a duration, a count, an amount or a measure: absurd values (1e300 minutes, a fraction of a count,
/// a negative amount, fen below the fen) are refused with the parameter named, as a draft and as a direct publication,
/// and nothing is drafted or published.
/// </summary>
public abstract class PolicyNumberBoundsTests(AppFixture app)
{
    public static TheoryData<string, string> AbsurdValues => new()
    {
        { """{"dispatch":{"repairContactTargetMinutes":1e300}}""", "parameters.dispatch.repairContactTargetMinutes" },
        { """{"dispatch":{"repairContactTargetMinutes":1e400}}""", "parameters.dispatch.repairContactTargetMinutes" },
        { """{"dispatch":{"repairContactTargetMinutes":600000}}""", "parameters.dispatch.repairContactTargetMinutes" },
        { """{"dispatch":{"repairContactTargetMinutes":20.5}}""", "parameters.dispatch.repairContactTargetMinutes" },
        { """{"discipline":{"suspensionDays":100000}}""", "parameters.discipline.suspensionDays" },
        { """{"discipline":{"suspensionDays":2.5}}""", "parameters.discipline.suspensionDays" },
        { """{"leaks":{"newInstallLeaksPerMonthMax":-1}}""", "parameters.leaks.newInstallLeaksPerMonthMax" },
        { """{"rewards":{"emptyTripSubsidyCNY":30.001}}""", "parameters.rewards.emptyTripSubsidyCNY" },
        { """{"rewards":{"emptyTripSubsidyCNY":1e12}}""", "parameters.rewards.emptyTripSubsidyCNY" },
        { """{"hr":{"uniformCostCompanySharePercent":150}}""", "parameters.hr.uniformCostCompanySharePercent" },
    };

    private async Task<Reply> Send(string user, string method, string path, string parameters) =>
        await app.Api(user).Send(new HttpMethod(method), path, null,
            content: new StringContent($$"""{"basedOn":"generic","parameters":{{parameters}},"note":"x"}""", Encoding.UTF8, "application/json"));

    [Theory]
    [MemberData(nameof(AbsurdValues))]
    public async Task An_absurd_policy_number_is_refused_naming_the_parameter_and_nothing_is_drafted_or_published(string parameters, string field)
    {
        var drafts = (await app.Api("manager").Get("/api/policy/drafts")).Expect(HttpStatusCode.OK).Body.ToJsonString();
        var version = (await app.Api("manager").Get("/api/policy")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();

        var drafted = await Send("manager", "POST", "/api/policy/drafts", parameters);
        Assert.True(drafted.Status == HttpStatusCode.BadRequest, $"{(int)drafted.Status} {drafted.Body.ToJsonString()}");
        Assert.Contains(field, drafted.ErrorFields);
        var published = await Send("manager", "PUT", "/api/policy", parameters);
        Assert.True(published.Status == HttpStatusCode.BadRequest, $"{(int)published.Status} {published.Body.ToJsonString()}");
        Assert.Contains(field, published.ErrorFields);

        Assert.Equal(drafts, (await app.Api("manager").Get("/api/policy/drafts")).Expect(HttpStatusCode.OK).Body.ToJsonString());
        Assert.Equal(version, (await app.Api("manager").Get("/api/policy")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sane_policy_number_is_still_drafted()
    {
        var drafted = await Send("supervisor", "POST", "/api/policy/drafts", """{"dispatch":{"repairContactTargetMinutes":45},"rewards":{"emptyTripSubsidyCNY":35.5}}""");
        Assert.True(drafted.Status == HttpStatusCode.Created, $"{(int)drafted.Status} {drafted.Body.ToJsonString()}");
        (await app.Api("manager").Post($"/api/policy/drafts/{drafted.Id}/reject", new { reason = "测试" })).Expect(HttpStatusCode.OK);
    }
}

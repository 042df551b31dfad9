using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class CalendarEndsTestsOnSqlite(SqliteFixture app) : CalendarEndsTests(app);
[Collection(PostgresCollection.Name)] public sealed class CalendarEndsTestsOnPostgres(PostgresFixture app) : CalendarEndsTests(app);

/// <summary>
/// Dates and months at the ends of the calendar (0001-01-01, 9999-12-31), well formed but outside 1900–2100, and date or
/// month parameters that are not dates at all: a 400 naming the parameter on the API, the refusal shown on a console page —
/// never a 500 from month arithmetic that overflows.
/// </summary>
public abstract class CalendarEndsTests(AppFixture app)
{
    public static TheoryData<string, string, string> ApiRequests => new()
    {
        { "manager", "/api/assessments?month=9999-12", "month" },
        { "manager", "/api/assessments?month=0001-01", "month" },
        { "finance", "/api/pay-statements?month=9999-12", "month" },
        { "finance", "/api/pay-statements?month=0001-01", "month" },
        { "tech01", "/api/pay-statements?month=0001-01", "month" },
        { "finance", "/api/pay-statements/1/9999-12.pdf", "month" },
        { "finance", "/api/pay-statements/1/0001-01.pdf", "month" },
        { "finance", "/api/pay-statements/workbook.xlsx?month=9999-12", "month" },
        { "finance", "/api/pay-statements/workbook.xlsx?month=0001-01", "month" },
        { "manager", "/api/reports/kpis?from=0001-01-01", "from" },
        { "manager", "/api/reports/kpis?to=9999-12-31", "to" },
        { "manager", "/api/reports/parts-cost?month=9999-12", "month" },
        { "clerk", "/api/work-orders?from=0001-01-01", "from" },
        { "manager", "/api/dispatch/board?date=abc", "date" },
        { "manager", "/api/attendance/days?month=abc", "month" },
    };

    [Theory]
    [MemberData(nameof(ApiRequests))]
    public async Task A_date_or_month_outside_the_calendar_or_not_a_date_is_a_400_naming_the_parameter(string user, string path, string field)
    {
        var reply = await app.Api(user).Get(path);
        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{path}: {(int)reply.Status} {reply.Body.ToJsonString()}");
        Assert.Contains(field, reply.ErrorFields);
        var message = reply.Body["errors"]![field]![0]!.GetValue<string>();
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
        Assert.False(LanguageCrawl.HasEnglish(message), message);
    }

    [Fact]
    public async Task A_date_or_month_within_the_calendar_is_still_answered()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.Api("manager").Get("/api/assessments?month=2026-11")).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.Api("manager").Get("/api/reports/kpis?from=2026-11-01")).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.Api("clerk").Get("/api/work-orders?from=2026-11-01T00:00:00%2B08:00")).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.Api("manager").Get("/api/dispatch/board?date=")).Status);
    }

    public static TheoryData<string, string> ConsolePages => new()
    {
        { "/orders?from=0001-01-01", "1900-01-01" },
        { "/orders?to=9999-12-31", "1900-01-01" },
        { "/reports?from=0001-01-01", "1900-01-01" },
        { "/reports?to=9999-12-31", "1900-01-01" },
        { "/reports/faults?from=0001-01-01", "1900-01-01" },
        { "/reports/faults?to=9999-12-31", "1900-01-01" },
        { "/manage/assessments?month=9999-12", "1900-01" },
        { "/manage/assessments?month=0001-01", "1900-01" },
        { "/manage/pay-ledger?month=9999-12", "1900-01" },
    };

    [Theory]
    [MemberData(nameof(ConsolePages))]
    public async Task A_console_page_given_a_date_outside_the_calendar_shows_the_refusal_in_Chinese(string url, string range)
    {
        var manager = await ConsoleSession.SignIn(app, "manager");
        var html = await manager.Get(url);
        Assert.Contains(range, html);
        Assert.Contains("之间的", html);
        Assert.Empty(LanguageCrawl.EnglishIn(html));
    }
}

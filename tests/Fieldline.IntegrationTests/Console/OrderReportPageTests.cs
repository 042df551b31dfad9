using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class OrderReportPageTestsOnSqlite(SqliteFixture app) : OrderReportPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class OrderReportPageTestsOnPostgres(PostgresFixture app) : OrderReportPageTests(app);

/// <summary>
/// h4 F8: the console's order page opens a finished order's service report PDF (README /orders/{id}), signed in with the
/// console's cookie and under the API's checks: office staff and the order's own technician, nobody else.
/// </summary>
public abstract class OrderReportPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Theory]
    [InlineData("clerk")]
    [InlineData("manager")]
    [InlineData("tech01")]
    public async Task A_finished_orders_page_links_its_service_report_which_opens_as_a_pdf_with_the_console_login(string user)
    {
        var id = await _given.OrderIn("completed");
        var code = (await _given.Manager.Get($"/api/work-orders/{id}")).Str("code")!;
        var console = await ConsoleSession.SignIn(app, user);
        var page = await console.Get($"/orders/{id}");
        Assert.Contains($"id=\"service-report\" href=\"/orders/{id}?handler=Report\"", page, StringComparison.Ordinal);
        Assert.Contains("服务报告（PDF）", page, StringComparison.Ordinal);
        var (type, pdf) = await console.Download($"/orders/{id}?handler=Report");
        Assert.Equal("application/pdf", type);
        var text = await PdfText.Of(pdf);
        Assert.Contains($"售后服务报告 {code}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unfinished_order_has_no_report_link_and_another_technician_cannot_open_the_report()
    {
        var open = await _given.OrderIn("inProgress");
        var office = await ConsoleSession.SignIn(app, "clerk");
        Assert.DoesNotContain("id=\"service-report\"", await office.Get($"/orders/{open}"), StringComparison.Ordinal);

        var done = await _given.OrderIn("completed");
        var other = await ConsoleSession.SignIn(app, "tech02");
        Assert.Equal(HttpStatusCode.NotFound, await other.Status($"/orders/{done}?handler=Report"));
    }
}

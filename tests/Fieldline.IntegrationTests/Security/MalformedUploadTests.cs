using System.Net;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class MalformedUploadTestsOnSqlite(SqliteFixture app) : MalformedUploadTests(app);
[Collection(PostgresCollection.Name)] public sealed class MalformedUploadTestsOnPostgres(PostgresFixture app) : MalformedUploadTests(app);

/// <summary>
/// A body that says it is multipart/form-data but is not (no boundary, no part, a part cut short) is the caller's mistake:
/// every upload, on the API and on the console, answers 400 naming the form, in the caller's language, and stores nothing.
/// </summary>
public abstract class MalformedUploadTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static readonly string[] Kinds = ["no boundary", "no part", "a part cut short"];

    public static TheoryData<string> Bodies => new(Kinds);

    private static ByteArrayContent Malformed(string body)
    {
        var (type, bytes) = body switch
        {
            "no boundary" => ("multipart/form-data", "x"),
            "no part" => ("multipart/form-data; boundary=zzz", "x"),
            _ => ("multipart/form-data; boundary=zzz", "--zzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nabc"),
        };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(bytes));
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    private static void AssertRefused(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{(int)reply.Status} {reply.Body.ToJsonString()}");
        Assert.Contains("form", reply.ErrorFields);
        var message = reply.Body["errors"]!["form"]![0]!.GetValue<string>();
        Assert.Contains("表单", message);
        Assert.False(LanguageCrawl.HasEnglish(message), message);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_photo_upload_is_a_400_naming_the_form_and_stores_nothing(string body)
    {
        var order = await _given.OrderIn("inProgress");
        var before = (await _given.Manager.Get($"/api/work-orders/{order}")).Body["attachments"]!.AsArray().Count;
        AssertRefused(await app.Api("tech01").Send(HttpMethod.Post, $"/api/work-orders/{order}/attachments", null, content: Malformed(body)));
        AssertRefused(await app.Api("tech01").Send(HttpMethod.Post, "/api/work-orders/999999/attachments", null, content: Malformed(body)));
        Assert.Equal(before, (await _given.Manager.Get($"/api/work-orders/{order}")).Body["attachments"]!.AsArray().Count);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_parts_or_stock_take_import_is_a_400_naming_the_form(string body)
    {
        AssertRefused(await app.Api("warehouse").Send(HttpMethod.Post, "/api/parts/import", null, content: Malformed(body)));
        AssertRefused(await app.Api("warehouse").Send(HttpMethod.Post, "/api/stock/stock-takes/import", null, content: Malformed(body)));
    }

    [Theory]
    [InlineData("Import")]
    [InlineData("ImportStockTake")]
    public async Task A_malformed_import_on_the_warehouse_page_is_a_400_not_an_error(string handler)
    {
        var keeper = await ConsoleSession.SignIn(app, "warehouse");
        await keeper.Get("/warehouse");
        foreach (var body in Kinds)
        {
            var response = await keeper.PostRaw($"/warehouse?handler={handler}", Malformed(body));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("表单", await response.Content.ReadAsStringAsync());
        }
    }
}

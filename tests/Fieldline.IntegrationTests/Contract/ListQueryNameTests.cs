using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class ListQueryNameTestsOnSqlite(SqliteFixture app) : ListQueryNameTests(app);
[Collection(PostgresCollection.Name)] public sealed class ListQueryNameTestsOnPostgres(PostgresFixture app) : ListQueryNameTests(app);

/// <summary>
/// The lists that bind their filters as one record (work orders, calls, breaches, complaints, the pay ledger) name those
/// filters as the contract does — camelCase, in the OpenAPI document and in a 400 — and the 400 says which by its label.
/// </summary>
public abstract class ListQueryNameTests(AppFixture app)
{
    private static readonly string[] Lists = ["/api/work-orders", "/api/work-orders/export.xlsx", "/api/calls", "/api/sla/breaches", "/api/complaints", "/api/pay-ledger"];

    [Theory]
    [InlineData("admin", "/api/work-orders?page=abc", "page", "页码必须是整数。")]
    [InlineData("admin", "/api/work-orders?overdue=maybe", "overdue", "超时必须是布尔值（是或否）。")]
    [InlineData("admin", "/api/work-orders/export.xlsx?to=2026-13-45", "to", "结束日期必须是日期，例如 2026-12-03。")]
    [InlineData("admin", "/api/calls?pageSize=abc", "pageSize", "每页条数必须是整数。")]
    [InlineData("admin", "/api/sla/breaches?technicianId=1&workOrderId=abc", "workOrderId", "工单必须是整数。")]
    [InlineData("admin", "/api/complaints?customerId=abc", "customerId", "客户必须是整数。")]
    [InlineData("finance", "/api/pay-ledger?personUserId=abc", "personUserId", "责任人必须是整数。")]
    public async Task A_mistyped_list_filter_is_named_in_camel_case_and_by_its_chinese_label(string user, string url, string field, string message)
    {
        var refused = (await app.Api(user).InLanguage("zh-CN").Get(url)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([field], refused.ErrorFields);
        Assert.Equal(message, refused.Body["errors"]![field]![0]!.GetValue<string>());
        Assert.DoesNotContain(field[..1].ToUpperInvariant() + field[1..], refused.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_names_every_list_filter_in_camel_case()
    {
        var document = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        foreach (var list in Lists)
        {
            var names = document["paths"]![list]!["get"]!["parameters"]!.AsArray().Where(p => p!["in"]!.GetValue<string>() == "query")
                .Select(p => p!["name"]!.GetValue<string>()).ToList();
            Assert.Contains("page", names);
            Assert.All(names, n => Assert.True(char.IsLower(n[0]), $"{list}: {n}"));
        }
    }
}

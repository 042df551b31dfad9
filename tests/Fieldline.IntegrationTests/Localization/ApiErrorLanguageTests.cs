using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Localization;

[Collection(SqliteCollection.Name)] public sealed class ApiErrorLanguageTestsOnSqlite(SqliteFixture app) : ApiErrorLanguageTests(app);

/// <summary>
/// Every operation of the OpenAPI document, called the wrong way — an empty body, a body that is not an object, an id that
/// does not exist, a caller without the role — answers problem details in the caller's language: no English word in
/// <c>title</c>, <c>detail</c> or a field's message for <c>Accept-Language: zh-CN</c>, no Chinese for <c>en</c>. New
/// operations are covered as soon as they are in the document. Text is text: this runs on one database.
/// </summary>
public abstract class ApiErrorLanguageTests(AppFixture app)
{
    /// <summary>Operations whose empty body may succeed and change what other tests rely on (the clock, the policy, a month).</summary>
    private static readonly HashSet<string> NotWithEmptyBody = new(StringComparer.Ordinal)
    {
        "POST /api/sandbox/clock", "PUT /api/policy", "POST /api/pay-ledger/periods/close", "POST /api/attendance/office-check-ins",
        "PUT /api/me/language", "POST /api/dispatch/plan", "POST /api/dispatch/suggest",
    };

    private static IEnumerable<(string Method, string Path)> Operations(JsonNode document)
    {
        foreach (var (path, ops) in document["paths"]!.AsObject())
            foreach (var (method, _) in ops!.AsObject())
                yield return (method.ToUpperInvariant(), path);
    }

    private static string Concrete(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}]+)\}", m =>
        m.Groups[1].Value.Contains("month", StringComparison.OrdinalIgnoreCase) ? "2099-13" : "987654321");

    /// <summary>The texts of a problem-details answer a person reads.</summary>
    private static IEnumerable<string> Texts(JsonNode problem)
    {
        if (problem["title"]?.GetValue<string>() is { } title) yield return title;
        if (problem["detail"]?.GetValue<string>() is { } detail) yield return detail;
        if (problem["errors"] is JsonObject errors)
            foreach (var (_, messages) in errors)
                foreach (var m in messages!.AsArray()) yield return m!.GetValue<string>();
    }

    [Fact]
    public async Task Every_operations_refusals_and_validation_errors_speak_the_callers_language()
    {
        var document = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var wrong = new List<string>();
        var checkedAnswers = 0;
        var clients = new Dictionary<string, HttpClient>();
        foreach (var user in new[] { "manager", "tech01" })
        {
            var client = app.Factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Token(client, user));
            clients[user] = client;
        }
        foreach (var (method, path) in Operations(document))
        {
            var url = Concrete(path);
            var bodies = method is "POST" or "PUT" or "PATCH"
                ? NotWithEmptyBody.Contains($"{method} {path}") ? new[] { "[]" } : new[] { "{}", "[]" }
                : new string?[] { null };
            foreach (var user in new[] { "manager", "tech01" })
            foreach (var body in bodies)
            foreach (var language in new[] { "zh-CN", "en" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                request.Headers.AcceptLanguage.ParseAdd(language);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                // Headers first: a live stream (server-sent events) never ends, and only problem answers are read.
                using var reply = await clients[user].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (reply.Content.Headers.ContentType?.MediaType != "application/problem+json") continue;
                checkedAnswers++;
                var problem = JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
                foreach (var text in Texts(problem))
                {
                    var read = LanguageCrawl.HttpNames.Aggregate(text, (t, name) => t.Replace(name, "", StringComparison.Ordinal));
                    if (language == "zh-CN" ? LanguageCrawl.HasEnglish(read) : LanguageCrawl.HasChinese(read))
                        wrong.Add($"{method} {path} as {user} with {body ?? "no body"} in {language} ({(int)reply.StatusCode}): {text}");
                }
            }
        }
        Assert.True(checkedAnswers > 200, $"only {checkedAnswers} problem answers were read");
        Assert.True(wrong.Count == 0, $"{wrong.Count} texts in the wrong language:\n" + string.Join("\n", wrong.Distinct().Take(80)));
    }
    /// <summary>Every name a request can carry — a query parameter, a body's property at any depth — in the OpenAPI document.</summary>
    private static IEnumerable<string> FieldNames(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> Walk(JsonNode? schema)
        {
            if (schema is not JsonObject s) yield break;
            if (s["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference[(reference.LastIndexOf('/') + 1)..];
                if (seen.Add(name)) foreach (var n in Walk(schemas?[name])) yield return n;
                yield break;
            }
            foreach (var (name, property) in s["properties"]?.AsObject() ?? [])
            {
                yield return name;
                foreach (var n in Walk(property)) yield return n;
            }
            foreach (var nested in new[] { s["items"], s["additionalProperties"] }.Concat(new[] { "allOf", "oneOf", "anyOf" }.SelectMany(k => s[k]?.AsArray() ?? [])))
                foreach (var n in Walk(nested)) yield return n;
        }
        foreach (var (_, ops) in document["paths"]!.AsObject())
            foreach (var (_, op) in ops!.AsObject())
            {
                foreach (var parameter in op!["parameters"]?.AsArray() ?? [])
                    if (parameter!["in"]!.GetValue<string>() == "query") yield return parameter["name"]!.GetValue<string>();
                foreach (var (_, content) in op["requestBody"]?["content"]?.AsObject() ?? [])
                    foreach (var n in Walk(content!["schema"])) yield return n;
            }
    }

    [Fact]
    public async Task Every_field_a_request_can_carry_has_a_Chinese_name_for_the_errors_that_name_it()
    {
        var document = JsonNode.Parse(await app.Factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var names = FieldNames(document).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("faultDescription", names); // the walk reaches request bodies
        Assert.Contains("pageSize", names);         // and query parameters
        Assert.Empty(names.Where(n => Fieldline.Web.Infrastructure.Localization.Catalogue.Find("field." + n, Fieldline.Web.Infrastructure.Localization.Catalogue.Chinese) is null).Order());
    }
    private static string ErrorOf(Reply reply, string field) =>
        string.Join(" ", reply.Expect(HttpStatusCode.BadRequest).Body["errors"]![field]!.AsArray().Select(m => m!.GetValue<string>()));

    [Fact]
    public async Task Refusals_name_presets_policy_parameters_payment_methods_and_the_missing_customer_in_Chinese_words_beside_the_codes_to_send_and_a_409_names_its_action_by_code()
    {
        var given = new Given(app);
        var preset = ErrorOf(await given.Manager.Put("/api/policy", new { basedOn = "nope" }), "basedOn");
        Assert.Contains("gree-dealer-changsha-2012（长沙市天心区允皓电器商行(格力)）", preset); // the code to send, with its name

        var parameter = ErrorOf(await given.Manager.Post("/api/policy/drafts", new { basedOn = "generic", note = "x", parameters = new { dispatch = new { repairContactTargetMinutes = "abc" } } }),
            "parameters.dispatch.repairContactTargetMinutes");
        Assert.Equal("维修联系客户时限（分钟）须为数字，不能是文字。", parameter);

        Assert.Equal("请选择已有客户，或填写新客户的资料。", ErrorOf(await given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", faultDescription = "不制冷" }), "customerId"));

        var onSite = await given.OrderIn("inProgress");
        var payment = ErrorOf(await app.Api("tech01").Post($"/api/work-orders/{onSite}/complete", new { resolution = "更换电容", paymentMethod = "bitcoin", unitModelSource = "box" }), "paymentMethod");
        Assert.Contains("cash（现金）", payment);
        var source = ErrorOf(await app.Api("tech01").Post($"/api/work-orders/{onSite}/complete", new { resolution = "更换电容", unitModelSource = "box" }), "unitModelSource");
        Assert.Contains("cartonLabel（纸箱标签）", source);

        var fresh = (await given.NewRepairOrder())["id"]!.GetValue<long>();
        var refused = (await given.Manager.Post($"/api/work-orders/{fresh}/close", new { })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Equal(("new", "close"), (refused["currentStatus"]!.GetValue<string>(), refused["action"]!.GetValue<string>()));
    }
}

using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.CodeAnalysis.CSharp;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class OpenApiContractTestsOnSqlite(SqliteFixture app) : OpenApiContractTests(app);
[Collection(PostgresCollection.Name)] public sealed class OpenApiContractTestsOnPostgres(PostgresFixture app) : OpenApiContractTests(app);

/// <summary>
/// The HTTP contract as a client sees it: the document the app serves is the committed <c>docs/openapi.json</c> (which
/// test.sh lints with Redocly), it declares security, headers, errors and ids, and a client generated from it by NSwag
/// compiles and drives a work order from intake to closing.
/// </summary>
public abstract class OpenApiContractTests(AppFixture app)
{
    private async Task<string> Served() => await app.Factory.CreateClient().GetStringAsync("/openapi/v1.json");

    private static string Committed
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "docs", "openapi.json");
        }
    }

    [Fact]
    public async Task The_committed_OpenAPI_document_is_the_one_the_app_serves()
    {
        var served = await Served();
        if (Environment.GetEnvironmentVariable("FIELDLINE_UPDATE_OPENAPI") == "1") await File.WriteAllTextAsync(Committed, JsonNode.Parse(served)!.ToJsonString(new() { WriteIndented = true }) + "\n");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(served), JsonNode.Parse(await File.ReadAllTextAsync(Committed))),
            "docs/openapi.json differs from /openapi/v1.json: run the tests with FIELDLINE_UPDATE_OPENAPI=1 and commit the file.");
    }

    [Fact]
    public async Task Every_operation_has_an_id_a_summary_its_security_and_its_error_answers_as_problems()
    {
        var doc = JsonNode.Parse(await Served())!;
        Assert.Equal("bearer", doc["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        var ids = new HashSet<string>();
        var problems = new List<string>(); // every gap at once, not the first
        void Expect(bool ok, string problem) { if (!ok) problems.Add(problem); }
        foreach (var (path, item) in doc["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var what = $"{method.ToUpperInvariant()} {path}";
                Expect(ids.Add(op!["operationId"]?.GetValue<string>() ?? ""), $"{what}: no operationId, or a duplicate");
                Expect(!string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>()), $"{what}: no summary");
                var secured = op["security"]?.AsArray().Count > 0;
                Expect(secured || path is "/api/auth/token" or "/health", $"{what}: anonymous");
                var responses = op["responses"]!.AsObject();
                if (secured) Expect(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{what}: no 401/403");
                if (path.Contains('{', StringComparison.Ordinal)) Expect(responses.ContainsKey("404"), $"{what}: no 404");
                foreach (var (code, response) in responses.Where(r => r.Key.StartsWith('4')))
                    Expect(response!["content"]?["application/problem+json"] is not null, $"{what} {code}: not a problem document");
                var headers = op["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
                if (method == "post" && secured) Expect(headers.Contains("Idempotency-Key"), $"{what}: no Idempotency-Key");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var status = doc["components"]!["schemas"]!["WorkOrderDto"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(["new", "dispatched", "accepted", "scheduled", "inProgress", "completed", "visited", "closed", "cancelled", "returned", "draft"], status);
    }

    /// <summary>
    /// The document names a schema after its C# type's name; two records of one name in different features (the work
    /// order's TransferRequest and the stock's) would share one schema, and one endpoint would be documented with the
    /// other's body. Every type a request takes or an answer gives, and every type inside them, has a name of its own.
    /// </summary>
    [Fact]
    public void No_two_types_the_API_takes_or_answers_share_a_schema_name()
    {
        var services = app.Factory.Services;
        var naming = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.OpenApi.OpenApiOptions>>().Get("v1").CreateSchemaReferenceId;
        var json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var usedBy = new Dictionary<Type, string>(); // each type, and the first endpoint that reaches it
        void Walk(Type type, string endpoint)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(object) || type.IsPrimitive || type == typeof(string) || !usedBy.TryAdd(type, endpoint)) return;
            System.Text.Json.Serialization.Metadata.JsonTypeInfo info;
            try { info = json.GetTypeInfo(type); }
            catch (NotSupportedException) { return; } // a stream, a delegate: no schema
            if (info.ElementType is { } element) Walk(element, endpoint);
            if (info.KeyType is { } key) Walk(key, endpoint);
            foreach (var property in info.Properties) Walk(property.PropertyType, endpoint);
        }
        foreach (var group in services.GetRequiredService<Microsoft.AspNetCore.Mvc.ApiExplorer.IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items)
            foreach (var d in group.Items)
            {
                var endpoint = $"{d.HttpMethod} /{d.RelativePath}";
                foreach (var p in d.ParameterDescriptions.Where(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body && p.Type is not null)) Walk(p.Type, endpoint);
                foreach (var r in d.SupportedResponseTypes.Where(r => r.Type is not null && r.Type != typeof(void))) Walk(r.Type!, endpoint);
            }
        Assert.True(usedBy.Count > 100, $"only {usedBy.Count} types found: is the walk still reaching the endpoints?");
        var clashes = usedBy.Keys.Select(t => (Type: t, Name: naming(json.GetTypeInfo(t))))
            .Where(x => x.Name is not null).GroupBy(x => x.Name!).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: " + string.Join(" and ", g.Select(x => $"{x.Type.FullName} (in {usedBy[x.Type]})"))).ToList();
        Assert.True(clashes.Count == 0, "one schema name for different types:\n" + string.Join("\n", clashes));
    }

    // ---------- the generated client ----------

    private static Type? _compiled; // the document is the same on both databases: generate and compile once

    /// <summary>NSwag's C# client for the served document, compiled in memory by Roslyn.</summary>
    private async Task<Type> ClientType()
    {
        if (_compiled is { } t) return t;
        var document = await OpenApiDocument.FromJsonAsync(await Served());
        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = "FieldlineClient", UseBaseUrl = false, GenerateClientInterfaces = false,
            CSharpGeneratorSettings = { Namespace = "Generated" },
        }).GenerateFile();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(JsonConvert).Assembly.Location).Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Generated.FieldlineClient", [CSharpSyntaxTree.ParseText(code)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, "the generated client does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        return _compiled = Assembly.Load(dll.ToArray()).GetType("Generated.FieldlineClient")!;
    }

    /// <summary>Calls the generated method for <paramref name="operationId"/>, filling its parameters by name; the answer as JSON.</summary>
    private static async Task<JObject?> Call(object client, string operationId, object? body = null, Dictionary<string, object?>? args = null)
    {
        static string Key(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        var name = char.ToUpperInvariant(operationId[0]) + operationId[1..] + "Async";
        var method = client.GetType().GetMethods().Where(m => m.Name == name).MaxBy(m => m.GetParameters().Length)
            ?? throw new InvalidOperationException($"the generated client has no {name}");
        var values = method.GetParameters().Select(p =>
        {
            if (p.ParameterType == typeof(CancellationToken)) return CancellationToken.None;
            var arg = args?.FirstOrDefault(a => Key(a.Key) == Key(p.Name!));
            if (arg is { Key: not null } a) return a.Value is null ? null : JToken.FromObject(a.Value).ToObject(p.ParameterType);
            if (Key(p.Name!) == "body" && body is not null) return JsonConvert.DeserializeObject(JsonConvert.SerializeObject(body), p.ParameterType);
            return p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null;
        }).ToArray();
        var task = (Task)method.Invoke(client, values)!;
        try { await task; }
        catch (Exception e) when (e.InnerException is { } inner && e.GetType().Name.StartsWith("ApiException", StringComparison.Ordinal) && StatusOf(e) < 300)
        {
            throw new InvalidOperationException($"{operationId}: the generated client could not read the answer: {inner.Message}", e);
        }
        var result = task.GetType().GetProperty("Result")?.GetValue(task);
        return result is null ? null : JObject.FromObject(result);
    }

    private static int StatusOf(Exception e) => (int)e.GetType().GetProperty("StatusCode")!.GetValue(e)!;

    [Fact]
    public async Task A_client_generated_from_the_document_compiles_and_runs_a_work_order_lifecycle()
    {
        var type = await ClientType();
        object Client(string? token)
        {
            var http = app.Factory.CreateClient();
            if (token is not null) http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return Activator.CreateInstance(type, http)!;
        }
        async Task<object> SignedIn(string user) =>
            Client((string)(await Call(Client(null), "issueToken", new { username = user, password = AppFixture.Password }))!["accessToken"]!);

        var clerk = await SignedIn("clerk");
        var customer = (long)(await Call(clerk, "createCustomer", new { name = "生成客户", phone = Given.Phone(), address = "长沙市岳麓区" }))!["id"]!;
        var serial = $"SN{Guid.NewGuid():N}"[..20];
        await Call(clerk, "registerProduct", new { productLine = "ac", brand = "格力", model = "KFR-35GW", serialNumber = serial, purchaseDate = "2026-01-10", warrantyMonths = 72 },
            new() { ["id"] = customer });
        var key = Guid.NewGuid().ToString();
        var created = (await Call(clerk, "createWorkOrder", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷", priority = "normal" },
            new() { ["Idempotency-Key"] = key }))!;
        var again = (await Call(clerk, "createWorkOrder", new { type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "不制冷", priority = "normal" },
            new() { ["Idempotency-Key"] = key }))!;
        var id = (long)created["id"]!;
        Assert.Equal(id, (long)again["id"]!); // the retry got the first answer
        Assert.Equal("New", created["status"]!.ToString(), ignoreCase: true);

        var dispatcher = await SignedIn("dispatcher");
        var tech01 = (await Call(dispatcher, "listTechnicians", args: new() { ["pageSize"] = 200 }))!["items"]!.First(t => (string)t["username"]! == "tech01")["id"]!;
        await Call(dispatcher, "dispatchWorkOrder", new { technicianId = (int)tech01 }, new() { ["id"] = id });
        var tech = await SignedIn("tech01");
        await Call(tech, "acceptWorkOrder", args: new() { ["id"] = id });
        await Call(tech, "contactCustomer", new { outcome = "reached", appointment = new { start = app.LocalNow.AddHours(1), end = app.LocalNow.AddHours(3) } }, new() { ["id"] = id });
        await Call(tech, "checkIn", new { location = new { lat = 28.18, lng = 112.94 } }, new() { ["id"] = id });
        app.Clock.Advance(TimeSpan.FromMinutes(30)); // the test run happened on site
        await Call(tech, "completeWorkOrder", Given.CompleteBody(), new() { ["id"] = id });
        await Call(await SignedIn("visitor"), "recordReturnVisit", new { reached = true, satisfaction = 5, findings = Array.Empty<string>(), notes = "满意" }, new() { ["id"] = id });
        var closed = (await Call(await SignedIn("manager"), "closeWorkOrder", args: new() { ["id"] = id }))!;
        Assert.Equal("Closed", closed["status"]!.ToString(), ignoreCase: true);

        // A refusal reaches the client as the documented status.
        var illegal = await Assert.ThrowsAnyAsync<Exception>(() => Call(tech, "acceptWorkOrder", args: new() { ["id"] = id }));
        Assert.Equal(409, StatusOf(illegal));
        var hidden = await Assert.ThrowsAnyAsync<Exception>(() => Call(tech, "getCustomer", args: new() { ["id"] = customer }));
        Assert.Equal(403, StatusOf(hidden));
    }
}

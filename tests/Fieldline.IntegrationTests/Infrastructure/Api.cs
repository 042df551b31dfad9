using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fieldline.IntegrationTests.Infrastructure;

public static class Json
{
    public static StringContent Body(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    public static async Task<JsonNode> Read(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type.Length > 0 && !type.Contains("json", StringComparison.Ordinal)) return new JsonObject(); // a file: read it from Reply.Raw
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }
}

public sealed record Reply(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Raw)
{
    public long Id => Body["id"]!.GetValue<long>();
    public string? Str(string name) => Body[name]?.GetValue<string>();

    /// <summary>The field names of a 400 problem's <c>errors</c>.</summary>
    public IReadOnlyList<string> ErrorFields => Body["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];

    public Reply Expect(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected {(int)status} {status} but got {(int)Status} {Status}: {Body.ToJsonString()}");
        return this;
    }
}

/// <summary>The HTTP API as a brand's call centre or the phone app drives it: JSON in, JSON out, a bearer token per user.</summary>
public sealed class Api(HttpClient client, AppFixture app, string? user, string? language = null, IReadOnlyDictionary<string, string>? headers = null)
{
    public Api As(string other) => new(client, app, other, language, headers);

    /// <summary>The same caller asking for answers in <paramref name="tag"/> (Accept-Language), e.g. "en".</summary>
    public Api InLanguage(string tag) => new(client, app, user, tag, headers);

    /// <summary>The same caller sending one more header on every request (say, the phone's X-Device-Time).</summary>
    public Api With(string header, string value) =>
        new(client, app, user, language, new Dictionary<string, string>(headers ?? new Dictionary<string, string>()) { [header] = value });

    public Task<Reply> Get(string path) => Send(HttpMethod.Get, path, null);

    public Task<Reply> Post(string path, object? body = null, string? idempotencyKey = null, string? ifMatch = null) =>
        Send(HttpMethod.Post, path, body, idempotencyKey, ifMatch);

    public Task<Reply> Put(string path, object body) => Send(HttpMethod.Put, path, body);

    public Task<Reply> Patch(string path, object body, string? ifMatch = null) => Send(HttpMethod.Patch, path, body, null, ifMatch);

    public async Task<Reply> Send(HttpMethod method, string path, object? body, string? idempotencyKey = null, string? ifMatch = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content ?? (body is null ? null : body as HttpContent ?? Json.Body(body)) };
        if (user is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await app.Token(client, user));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        var response = await client.SendAsync(request);
        return new Reply(response.StatusCode, await Json.Read(response), response);
    }
}

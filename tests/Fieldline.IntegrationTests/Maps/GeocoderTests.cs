using System.Collections.Concurrent;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldline.IntegrationTests.Maps;

[Collection(SqliteCollection.Name)] public sealed class GeocoderTestsOnSqlite(SqliteFixture app) : GeocoderTests(app);
[Collection(PostgresCollection.Name)] public sealed class GeocoderTestsOnPostgres(PostgresFixture app) : GeocoderTests(app);

/// <summary>
/// AutoNavi's geocoding web service, played by a real HTTP listener on 127.0.0.1 that answers what AMap answers
/// (GCJ-02 "lng,lat", a match level, status 0 with an info code when it refuses), behind GET /api/geocode.
/// </summary>
public abstract class GeocoderTests(AppFixture app)
{
    /// <summary>The fake service: records every query it gets and answers with whatever the test set last.</summary>
    private sealed class FakeAMap : IAsyncDisposable
    {
        private readonly WebApplication _web;
        public ConcurrentQueue<IQueryCollection> Queries { get; } = new();
        public (int Status, string Body) Answer { get; set; } = (200, "{}");

        public FakeAMap()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            _web = builder.Build();
            _web.MapGet("/v3/geocode/geo", (HttpRequest request) =>
            {
                Queries.Enqueue(request.Query);
                return Results.Text(Answer.Body, "application/json", System.Text.Encoding.UTF8, Answer.Status);
            });
            _web.Start();
            Url = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/v3/geocode/geo";
        }

        public string Url { get; }

        public async ValueTask DisposeAsync() => await _web.DisposeAsync();
    }

    private const string Found = """
        {"status":"1","info":"OK","infocode":"10000","count":"1","geocodes":[{"formatted_address":"北京市朝阳区阜通东大街6号","country":"中国",
         "province":"北京市","citycode":"010","city":"北京市","district":"朝阳区","township":[],"neighborhood":{"name":[],"type":[]},
         "building":{"name":[],"type":[]},"adcode":"110105","street":"阜通东大街","number":"6号","location":"116.487586,39.991754","level":"门牌号"}]}
        """;

    private const string OnlyTheDistrict = """
        {"status":"1","info":"OK","infocode":"10000","count":"1","geocodes":[{"formatted_address":"湖南省长沙市岳麓区","township":[],
         "street":[],"number":[],"location":"112.931324,28.235245","level":"区县"}]}
        """;

    [Fact]
    public async Task The_AMap_adapter_sends_key_and_address_and_answers_in_WGS84_with_its_confidence_and_a_dead_service_is_a_503()
    {
        await using var amap = new FakeAMap();
        await using var configured = app.Create(b =>
        {
            b.UseSetting("Fieldline:Map:Geocoder", "AMap");
            b.UseSetting("Fieldline:Map:GeocoderKey", "test-key-123");
            b.UseSetting("Fieldline:Map:GeocoderUrl", amap.Url);
            b.UseSetting("Fieldline:Map:GeocoderTimeoutSeconds", "15"); // no test waits for it: a loaded CI machine may take seconds for the first call
            b.UseSetting("Fieldline:Map:TileUrl", "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}");
            b.UseSetting("Fieldline:Map:TileSubdomains", "1234");
            b.UseSetting("Fieldline:Map:CoordinateSystem", "GCJ02");
        });
        var clerk = new Api(configured.CreateClient(), app, "clerk");

        amap.Answer = (200, Found);
        var found = (await clerk.Get($"/api/geocode?address={Uri.EscapeDataString("北京市朝阳区阜通东大街6号")}&city=北京")).Expect(HttpStatusCode.OK).Body;
        Assert.True(amap.Queries.TryDequeue(out var query));
        Assert.Equal("test-key-123", query["key"]);
        Assert.Equal("北京市朝阳区阜通东大街6号", query["address"]);
        Assert.Equal("北京", query["city"]);
        Assert.True(found["found"]!.GetValue<bool>());
        // AMap's GCJ-02 point, back in WGS-84: AMap's own converter puts GPS (39.990475, 116.481499) there.
        Assert.Equal(39.990475, found["location"]!["lat"]!.GetValue<double>(), 0.00001);
        Assert.Equal(116.481499, found["location"]!["lng"]!.GetValue<double>(), 0.00001);
        Assert.Equal(0.9, found["confidence"]!.GetValue<double>());
        Assert.Equal("building", found["precision"]!.GetValue<string>());
        Assert.Equal("北京市朝阳区阜通东大街6号", found["formattedAddress"]!.GetValue<string>());

        amap.Answer = (200, OnlyTheDistrict);
        var rough = (await clerk.Get($"/api/geocode?address={Uri.EscapeDataString("岳麓区某小区")}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("district", rough["precision"]!.GetValue<string>());
        Assert.True(rough["confidence"]!.GetValue<double>() < 0.5);

        amap.Answer = (200, """{"status":"1","info":"OK","infocode":"10000","count":"0","geocodes":[]}""");
        Assert.False((await clerk.Get("/api/geocode?address=不存在的地方")).Expect(HttpStatusCode.OK).Body["found"]!.GetValue<bool>());

        // A refused key and a broken service are the same to the clerk: the lookup is unavailable, the pin remains.
        amap.Answer = (200, """{"status":"0","info":"INVALID_USER_KEY","infocode":"10001"}""");
        var refused = (await clerk.Get("/api/geocode?address=长沙市五一大道1号")).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("放置定位", refused.Body["detail"]!.GetValue<string>());
        amap.Answer = (502, "<html>bad gateway</html>");
        (await clerk.Get("/api/geocode?address=长沙市五一大道1号")).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("test-key-123", StringComparison.Ordinal)); // the key never reaches the log

        // The configured tiles' hosts, and only they, may serve images to the pages.
        var csp = (await configured.CreateClient().GetAsync("/login")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data: blob: https://webrd01.is.autonavi.com https://webrd02.is.autonavi.com https://webrd03.is.autonavi.com https://webrd04.is.autonavi.com;", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
    }

    [Fact]
    public async Task Without_a_geocoder_the_lookup_is_unavailable_and_only_intake_staff_may_ask_and_must_give_an_address()
    {
        var none = (await app.Api("clerk").Get("/api/geocode?address=长沙市五一大道1号")).Expect(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("未配置地址查询服务，请在地图上放置定位。", none.Body["detail"]!.GetValue<string>());
        (await app.Api("clerk").Get("/api/geocode")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["address"], (await app.Api("clerk").Get("/api/geocode?address=%20")).ErrorFields);
        (await app.Api("tech01").Get("/api/geocode?address=长沙市五一大道1号")).Expect(HttpStatusCode.Forbidden);
        var csp = (await app.Factory.CreateClient().GetAsync("/login")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data: blob:;", csp);
    }
}

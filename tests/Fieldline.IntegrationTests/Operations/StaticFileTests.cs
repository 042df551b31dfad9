using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Operations;

// Static files do not touch the database: one provider is enough.
[Collection(SqliteCollection.Name)] public sealed class StaticFileTestsOnSqlite(SqliteFixture app) : StaticFileTests(app);

/// <summary>wwwroot served by MapStaticAssets: compressed (gzip from the build; brotli too when published), validated by ETag; the phone app's worker may control "/m".</summary>
public abstract class StaticFileTests(AppFixture app)
{
    private async Task<HttpResponseMessage> Get(string path, string? encoding = null, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding is not null) request.Headers.AcceptEncoding.ParseAdd(encoding);
        if (ifNoneMatch is not null) request.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(ifNoneMatch));
        return await app.Factory.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_stylesheet_comes_compressed_for_a_browser_that_accepts_it_with_an_etag_that_answers_not_modified()
    {
        var plain = await Get("/console.css");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        var compressed = await Get("/console.css", "gzip");
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Contains("gzip", compressed.Content.Headers.ContentEncoding); // brotli as well once published
        using var unzipped = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(await compressed.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress))
            await gzip.CopyToAsync(unzipped);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), unzipped.ToArray());
        var etag = plain.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get("/console.css", ifNoneMatch: etag.Tag)).StatusCode);
    }

    [Fact]
    public async Task The_phone_apps_worker_may_control_m_without_a_slash_so_the_app_opens_offline_from_either()
    {
        var worker = await Get("/m/sw.js");
        Assert.Equal(HttpStatusCode.OK, worker.StatusCode);
        Assert.Equal("/m", Assert.Single(worker.Headers.GetValues("Service-Worker-Allowed")));
        Assert.Contains("url.pathname === '/m'", await worker.Content.ReadAsStringAsync());
    }
}

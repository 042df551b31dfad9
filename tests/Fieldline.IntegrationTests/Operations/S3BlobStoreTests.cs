using System.Collections.Concurrent;
using System.Security.Cryptography;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Blobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Operations;

/// <summary>The S3 adapter against a minimal S3-compatible server (path-style PUT and GET of objects), as MinIO or Ceph answer.</summary>
public sealed class S3BlobStoreTests
{
#pragma warning disable CA5351 // an S3 object's ETag is its MD5, by the protocol; the SDK checks downloads against it
    private static string ETag(byte[] bytes) => "\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"";
#pragma warning restore CA5351

    [Fact]
    public async Task The_s3_adapter_stores_objects_named_by_hash_under_the_prefix_and_reads_them_back()
    {
        var objects = new ConcurrentDictionary<string, byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var s3 = builder.Build();
        s3.MapPut("/{bucket}/{**key}", async (string bucket, string key, HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            objects[$"{bucket}/{key}"] = body.ToArray();
            http.Response.Headers.ETag = ETag(body.ToArray());
            return Results.Ok();
        });
        s3.MapGet("/{bucket}/{**key}", (string bucket, string key, HttpContext http) =>
        {
            if (!objects.TryGetValue($"{bucket}/{key}", out var bytes))
                return Results.Content("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>not found</Message></Error>", "application/xml", statusCode: 404);
            http.Response.Headers.ETag = ETag(bytes);
            return Results.Bytes(bytes, "application/octet-stream");
        });
        await s3.StartAsync();
        var url = s3.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var store = new S3BlobStore(new BlobOptions { Provider = "S3", ServiceUrl = url, Bucket = "fieldline", AccessKey = "key", SecretKey = "secret", Prefix = "blobs/" });
        var hash = await store.PutAsync(Given.TinyPng, default);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Given.TinyPng)), hash);
        Assert.Equal(Given.TinyPng, objects[$"fieldline/blobs/{hash}"]);
        Assert.Equal(Given.TinyPng, await store.GetAsync(hash, default));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetAsync(new string('a', 64), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("../../etc/passwd", default));
    }
}

using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace Fieldline.Web.Infrastructure.Blobs;

/// <summary>
/// Attachment bytes (photos, signatures, documents), kept out of the database and addressed by their SHA-256: the same
/// photo sent twice is stored once, a retried upload rewrites nothing, and a backup copies files that never change.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes (if not stored already) and returns their address, the lower-case hex SHA-256.</summary>
    Task<string> PutAsync(byte[] content, CancellationToken ct);

    /// <summary>The bytes at <paramref name="hash"/>; <see cref="FileNotFoundException"/> when there are none.</summary>
    Task<byte[]> GetAsync(string hash, CancellationToken ct);
}

public sealed class BlobOptions
{
    /// <summary><c>File</c> (default) or <c>S3</c>.</summary>
    public string Provider { get; set; } = "File";
    /// <summary>The folder of the file store; default <c>blobs</c> beside the SQLite database (<c>data/blobs</c>).</summary>
    public string? Path { get; set; }
    public string? ServiceUrl { get; set; }
    public string? Bucket { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string Region { get; set; } = "us-east-1";
    public string Prefix { get; set; } = "blobs/";
}

public static class BlobSetup
{
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fieldline:Blobs").Get<BlobOptions>() ?? new BlobOptions();
        if (string.Equals(options.Provider, "S3", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(options.ServiceUrl) || string.IsNullOrEmpty(options.Bucket))
                throw new InvalidOperationException("Fieldline:Blobs:Provider is S3 but Fieldline:Blobs:ServiceUrl or Fieldline:Blobs:Bucket is not set.");
            services.AddSingleton<IBlobStore>(new S3BlobStore(options));
        }
        else if (string.Equals(options.Provider, "File", StringComparison.OrdinalIgnoreCase))
            services.AddSingleton<IBlobStore>(new FileBlobStore(options.Path ?? DefaultPath(config)));
        else throw new InvalidOperationException($"Fieldline:Blobs:Provider must be File or S3, not '{options.Provider}'.");
        return services;
    }

    /// <summary><c>blobs</c> in the folder of the SQLite database, so the data folder holds everything; <c>data/blobs</c> otherwise.</summary>
    public static string DefaultPath(IConfiguration config)
    {
        var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(config.GetConnectionString("Sqlite") ?? Data.DatabaseSetup.DefaultSqlite).DataSource;
        var postgres = string.Equals(config["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase);
        return postgres || sqlite == ":memory:" ? System.IO.Path.Combine("data", "blobs")
            : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(sqlite)) ?? "data", "blobs");
    }

    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    internal static void CheckHash(string hash)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower)) throw new ArgumentException($"'{hash}' is not a SHA-256 blob address.", nameof(hash));
    }
}

/// <summary>Files under a folder, <c>ab/abcdef…</c>: written to a temporary name, flushed to disk, then renamed into place.</summary>
public sealed class FileBlobStore(string root) : IBlobStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(string hash)
    {
        BlobSetup.CheckHash(hash);
        return Path.Combine(Root, hash[..2], hash);
    }

    public async Task<string> PutAsync(byte[] content, CancellationToken ct)
    {
        var hash = BlobSetup.Hash(content);
        var path = PathOf(hash);
        if (File.Exists(path)) return hash;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, ct);
                file.Flush(flushToDisk: true); // the row that names this hash is committed after this returns: the bytes must outlive a power cut
            }
            File.Move(temp, path, overwrite: true); // same content under the same name: a concurrent writer's copy is as good
        }
        finally
        {
            File.Delete(temp);
        }
        return hash;
    }

    public async Task<byte[]> GetAsync(string hash, CancellationToken ct) => await File.ReadAllBytesAsync(PathOf(hash), ct);
}

/// <summary>An S3-compatible object store (AWS S3, MinIO, Ceph …), path-style addressing, objects named by hash.</summary>
public sealed class S3BlobStore(BlobOptions options) : IBlobStore, IDisposable
{
    private readonly AmazonS3Client _s3 = new(options.AccessKey, options.SecretKey, new AmazonS3Config
    {
        ServiceURL = options.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = options.Region,
        // Plain PUTs with Content-MD5-free bodies, which every S3-compatible server accepts.
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        Timeout = TimeSpan.FromSeconds(30), MaxErrorRetry = 2,
    });

    public async Task<string> PutAsync(byte[] content, CancellationToken ct)
    {
        var hash = BlobSetup.Hash(content);
        using var body = new MemoryStream(content, writable: false);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = options.Prefix + hash, InputStream = body, UseChunkEncoding = false }, ct);
        return hash;
    }

    public async Task<byte[]> GetAsync(string hash, CancellationToken ct)
    {
        BlobSetup.CheckHash(hash);
        try
        {
            using var response = await _s3.GetObjectAsync(options.Bucket, options.Prefix + hash, ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"Blob {hash} is not in bucket {options.Bucket}.", e);
        }
    }

    public void Dispose() => _s3.Dispose();
}

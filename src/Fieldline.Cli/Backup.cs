using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Fieldline.Cli;

/// <summary>
/// <c>fieldline backup</c> / <c>fieldline restore</c> for the embedded deployment: the SQLite database copied with
/// SQLite's online backup (consistent while the app keeps writing), then the blob store's files (content-addressed, so
/// a file never changes and a later backup into the same folder copies only new ones). The database goes first: every
/// file its rows name was written before the row committed, so the copy holds it. On PostgreSQL use pg_dump and copy the
/// blob folder (README, "Backup and restore").
/// </summary>
public static class Backup
{
    public const string DatabaseFile = "fieldline.db";
    public const string BlobFolder = "blobs";

    public sealed record Manifest(DateTimeOffset CreatedAt, string Database, int Blobs, long BlobBytes);

    public static async Task<int> BackupAsync(string database, string blobs, string to, TextWriter stdout)
    {
        if (!File.Exists(database)) throw new IOException($"no database at {database}");
        Directory.CreateDirectory(to);
        var target = Path.Combine(to, DatabaseFile);
        await using (var source = new SqliteConnection($"Data Source={database};Mode=ReadOnly"))
        await using (var copy = new SqliteConnection($"Data Source={target};Pooling=False"))
        {
            await source.OpenAsync();
            await copy.OpenAsync();
            source.BackupDatabase(copy);
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            if (await check.ExecuteScalarAsync() is not "ok") throw new IOException("the backup copy failed SQLite's integrity check");
        }
        var (files, bytes) = CopyBlobs(blobs, Path.Combine(to, BlobFolder));
        var missing = await MissingBlobs(target, Path.Combine(to, BlobFolder));
        if (missing.Count > 0) throw new IOException($"{missing.Count} attachments name files that are not in {blobs}, e.g. {missing[0]}");
        var manifest = new Manifest(TimeProvider.System.GetUtcNow(), DatabaseFile, files, bytes);
        await File.WriteAllTextAsync(Path.Combine(to, "backup.json"), JsonSerializer.Serialize(manifest, JsonSerializerOptions.Web));
        await stdout.WriteLineAsync($"backed up {database} and {files} blob files ({bytes / 1024.0 / 1024.0:0.0} MB) to {to}");
        return 0;
    }

    public static async Task<int> RestoreAsync(string from, string database, string blobs, bool force, TextWriter stdout)
    {
        var source = Path.Combine(from, DatabaseFile);
        if (!File.Exists(source)) throw new IOException($"{from} holds no {DatabaseFile}: not a Fieldline backup");
        if (File.Exists(database) && !force) throw new IOException($"{database} exists; stop the app and pass --force to overwrite it");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
        foreach (var stale in new[] { database + "-wal", database + "-shm" }) File.Delete(stale); // a WAL of the old database must not be replayed into the restored one
        await using (var backup = new SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False"))
        await using (var target = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await backup.OpenAsync();
            await target.OpenAsync();
            backup.BackupDatabase(target);
        }
        var (files, _) = CopyBlobs(Path.Combine(from, BlobFolder), blobs);
        await stdout.WriteLineAsync($"restored {database} and {files} blob files into {blobs}");
        return 0;
    }

    /// <summary>Copies the files that the target lacks (same name, same content: the name is the content's hash).</summary>
    private static (int Files, long Bytes) CopyBlobs(string from, string to)
    {
        var (files, bytes) = (0, 0L);
        if (!Directory.Exists(from)) return (0, 0);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".tmp", StringComparison.Ordinal)) continue; // an upload being written
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            files++;
            bytes += new FileInfo(file).Length;
            if (File.Exists(target)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target + ".tmp", overwrite: true);
            File.Move(target + ".tmp", target, overwrite: true);
        }
        return (files, bytes);
    }

    private static async Task<List<string>> MissingBlobs(string database, string blobs)
    {
        var missing = new List<string>();
        await using var db = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """SELECT "BlobHash" FROM "Attachments" WHERE "BlobHash" IS NOT NULL""";
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var hash = reader.GetString(0);
            if (!File.Exists(Path.Combine(blobs, hash[..2], hash))) missing.Add(hash);
        }
        return missing;
    }
}

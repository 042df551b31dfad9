using System.Net;
using Fieldline.Cli;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Fieldline.IntegrationTests.Operations;

/// <summary>
/// `fieldline backup` / `fieldline restore` of the embedded deployment (SQLite and the blob folder), taken while the app
/// runs. PostgreSQL is backed up with pg_dump (README); its blob folder is copied the same way.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class BackupTests(SqliteFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_backup_taken_while_the_app_runs_restores_into_an_app_that_shows_the_same_orders_and_photos()
    {
        var order = await _given.OrderIn("completed");
        var photo = await _given.Photo(order);
        var before = (await _given.Manager.Get($"/api/work-orders/{order}")).Expect(HttpStatusCode.OK).Body.ToJsonString();
        var database = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        var root = Path.Combine(Path.GetTempPath(), "fieldline-tests", $"backup-{Guid.NewGuid():N}");
        try
        {
            var output = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["backup", "--to", Path.Combine(root, "backup"), "--database", database, "--blobs", app.BlobPath], output, output));
            var restored = Path.Combine(root, "restored", "fieldline.db");
            var restoredBlobs = Path.Combine(root, "restored", "blobs");
            Assert.Equal(0, await CliApp.RunAsync(["restore", "--from", Path.Combine(root, "backup"), "--database", restored, "--blobs", restoredBlobs], output, output));
            // Restoring over an existing database needs --force (the app must be stopped first).
            Assert.Equal(1, await CliApp.RunAsync(["restore", "--from", Path.Combine(root, "backup"), "--database", restored, "--blobs", restoredBlobs], output, output));

            await using var again = app.Create(b =>
            {
                b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={restored}");
                b.UseSetting("Fieldline:Blobs:Path", restoredBlobs);
            });
            var api = new Api(again.CreateClient(), app, "manager");
            Assert.Equal(before, (await api.Get($"/api/work-orders/{order}")).Expect(HttpStatusCode.OK).Body.ToJsonString());
            var download = await api.Get($"/api/work-orders/{order}/attachments/{photo}");
            download.Expect(HttpStatusCode.OK);
            Assert.Equal(Given.TinyPng, await download.Raw.Content.ReadAsByteArrayAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Operations;

[Collection(SqliteCollection.Name)] public sealed class AttachmentBlobTestsOnSqlite(SqliteFixture app) : AttachmentBlobTests(app);
[Collection(PostgresCollection.Name)] public sealed class AttachmentBlobTestsOnPostgres(PostgresFixture app) : AttachmentBlobTests(app);

public abstract class AttachmentBlobTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private string FileOf(string hash) => Path.Combine(app.BlobPath, hash[..2], hash);

    [Fact]
    public async Task A_photo_is_stored_as_a_file_named_by_its_hash_and_the_row_keeps_only_metadata()
    {
        var order = await _given.OrderIn("inProgress");
        var id = await _given.Photo(order);
        var row = await app.Db(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == id));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Given.TinyPng));
        Assert.Equal(hash, row.BlobHash);
        Assert.Null(row.LegacyContent);
        Assert.Equal(Given.TinyPng, await File.ReadAllBytesAsync(FileOf(hash)));
        var download = await app.Api("tech01").Get($"/api/work-orders/{order}/attachments/{id}");
        download.Expect(HttpStatusCode.OK);
        Assert.Equal(Given.TinyPng, await download.Raw.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Attachments_kept_in_database_rows_move_into_the_blob_store_when_the_app_starts()
    {
        var order = await _given.OrderIn("inProgress");
        var bytes = Given.TinyPng.Concat(Guid.NewGuid().ToByteArray()).ToArray(); // unique content, so the file is this test's
        var id = await app.Db(async db =>
        {
            var a = new Attachment
            {
                WorkOrderId = order, Kind = "photo", ContentType = "image/png", FileName = "old.png", Size = bytes.Length, LegacyContent = bytes,
                UploadedAt = app.Clock.GetUtcNow(), UploadedByUserId = 1,
            };
            db.Attachments.Add(a);
            await db.SaveChangesAsync();
            return a.Id;
        });
        // Readable before the move, from its row.
        Assert.Equal(bytes, await (await app.Api("tech01").Get($"/api/work-orders/{order}/attachments/{id}")).Raw.Content.ReadAsByteArrayAsync());

        await using (var restarted = app.Create()) restarted.CreateClient().Dispose();

        var row = await app.Db(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Null(row.LegacyContent);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.BlobHash);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(FileOf(row.BlobHash!)));
        Assert.Equal(bytes, await (await app.Api("tech01").Get($"/api/work-orders/{order}/attachments/{id}")).Raw.Content.ReadAsByteArrayAsync());
    }
}

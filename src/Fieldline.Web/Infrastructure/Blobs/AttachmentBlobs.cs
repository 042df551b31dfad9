using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Blobs;

public static class AttachmentBlobs
{
    /// <summary>The bytes of an attachment: from the blob store, or from its row if it predates the store and has not moved yet.</summary>
    public static async Task<byte[]> ContentOf(this IBlobStore blobs, Attachment a, CancellationToken ct) =>
        a.LegacyContent ?? await blobs.GetAsync(a.BlobHash ?? throw new FileNotFoundException($"Attachment {a.Id} has no content."), ct);

    /// <summary>
    /// Moves the bytes of attachments stored in their rows (before the blob store) into the store, a batch at a time:
    /// the file is written before its row is changed, so a crash in between leaves the row as it was and the next start
    /// moves it again (to the same address). Run at start-up; several nodes may run it at once harmlessly.
    /// </summary>
    public static async Task<int> MoveLegacyContentAsync(IServiceProvider services, ILogger log, CancellationToken ct = default)
    {
        var moved = 0;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var blobs = scope.ServiceProvider.GetRequiredService<IBlobStore>();
            var batch = await db.Attachments.Where(a => a.LegacyContent != null).OrderBy(a => a.Id).Take(50).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var a in batch)
            {
                a.BlobHash = await blobs.PutAsync(a.LegacyContent!, ct);
                a.LegacyContent = null;
            }
            await db.SaveChangesAsync(ct);
            moved += batch.Count;
        }
        if (moved > 0) log.LogInformation("Moved the content of {Count} attachments from the database into the blob store", moved);
        return moved;
    }
}

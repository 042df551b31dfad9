using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>The parts catalogue, company-wide: everyone who quotes, charges or uses parts may read it.</summary>
public sealed class FindParts(AppDbContext db)
{
    public const int MaxRows = 2000;

    /// <summary>At most <paramref name="max"/> parts (a page or the API: <see cref="MaxRows"/>; the Excel export: all of them).</summary>
    public async Task<IReadOnlyList<PartDto>> List(CurrentUser user, string? q, string? productLine, CancellationToken ct, int max = MaxRows)
    {
        user.RequireAny("read the parts catalogue", [.. Roles.Office, Roles.Technician]);
        var query = db.Set<Part>().AsNoTracking().Where(p => p.Active);
        if (!string.IsNullOrWhiteSpace(productLine)) query = query.Where(p => p.ProductLine == null || p.ProductLine == productLine);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            query = query.Where(p => p.PartNumber.StartsWith(term) || p.Name.Contains(term));
        }
        var parts = await query.OrderBy(p => p.PartNumber).Take(max).ToListAsync(ct);
        return parts.Select(PartDto.From).ToList();
    }
}

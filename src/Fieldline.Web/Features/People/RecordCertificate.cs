using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="Kind">trainingPass, electrician, welding or workAtHeight.</param>
/// <param name="Scan">Optionally, the scanned certificate as a data: URL (JPEG, PNG, WebP or PDF, at most 10 MB, checked by its bytes).</param>
public sealed record CertificateBody(int? TechnicianId, string? Kind, string? Number, DateOnly? ValidFrom, DateOnly? ValidTo, string? Scan = null);

public sealed record CertificateDto(long Id, int BranchId, int TechnicianId, string TechnicianName, string Kind, string KindName, string Number,
    DateOnly ValidFrom, DateOnly ValidTo, bool ValidToday, string RecordedBy, DateTimeOffset RecordedAt)
{
    /// <summary>The scan, for HR and the person only (null for everyone else, and when there is none).</summary>
    public string? ScanUrl { get; init; }
}

/// <summary>
/// <c>POST /api/certificates</c>: HR (the supervisor, managers) records a certificate in a person's record; the one
/// eligibility rule reads it when a job needs it (SC-17: a power-supply change only to a valid electrician).
/// <c>GET /api/certificates</c>: the office reads a branch's, a technician their own.
/// </summary>
public sealed class RecordCertificate(AppDbContext db, BranchZones zones, TimeProvider clock, Infrastructure.Blobs.IBlobStore blobs)
{
    /// <summary>Who keeps the HR record: the after-sales supervisor and the managers.</summary>
    public static readonly string[] HrRoles = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<CertificateDto> Handle(CurrentUser user, CertificateBody r, CancellationToken ct)
    {
        user.RequireAny("record a certificate", HrRoles);
        var v = new Validator();
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        if (string.IsNullOrWhiteSpace(r.Kind)) v.Add("kind", "{0} is required.");
        else if (!Certificate.Kinds.Contains(r.Kind))
            v.Add("kind", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Kind), Msg.Join(Certificate.Kinds.Select(k => Msg.Choice("certificate", k))));
        v.RequiredText(r.Number, 64, "number");
        if (r.ValidFrom is null) v.Add("validFrom", "{0} is required.");
        if (r.ValidTo is null) v.Add("validTo", "{0} is required.");
        else if (r.ValidFrom is { } f && r.ValidTo < f) v.Add("validTo", "{0} cannot be before the first day.");
        (byte[] Bytes, string Type)? scan = null;
        if (!string.IsNullOrEmpty(r.Scan) && (scan = RecordHiring.Document(r.Scan)) is null)
            v.Add("scan", "{0} must be a JPEG, PNG, WebP image or a PDF of at most 10 MB, sent as a data: URL.");
        v.ThrowIfInvalid();
        var tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        var certificate = new Certificate
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Kind = r.Kind!, Number = r.Number!.Trim(),
            ValidFrom = r.ValidFrom!.Value, ValidTo = r.ValidTo!.Value, RecordedBy = user.UserName, RecordedAt = clock.GetUtcNow(),
            ScanHash = scan is { } sc ? await blobs.PutAsync(sc.Bytes, ct) : null, ScanType = scan?.Type,
        };
        db.Add(certificate);
        await db.SaveChangesAsync(ct);
        return (await Dtos(user, [certificate], ct)).Single();
    }

    public async Task<Page<CertificateDto>> List(CurrentUser user, int? technicianId, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read certificates", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Set<Certificate>().AsNoTracking();
        if (user.IsOnlyTechnician) query = query.Where(c => c.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(c => c.BranchId == user.BranchId);
        if (technicianId is { } t) query = query.Where(c => c.TechnicianId == t);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Page<CertificateDto>(await Dtos(user, items, ct), total);
    }

    /// <summary>The scan of a certificate: for HR of the person's branch and the person only (404 for anyone else; never in an export or a log line).</summary>
    public async Task<(byte[] Content, string Type, string Name)> Scan(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read a certificate scan", [Roles.Technician, .. HrRoles]);
        var c = await db.Set<Certificate>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.ScanHash != null, ct);
        if (c is null || !MaySeeScan(user, c)) throw new NotFoundException("Certificate scan", id);
        var extension = c.ScanType == "application/pdf" ? ".pdf" : WorkOrders.ImageContent.Extension(c.ScanType!);
        return (await blobs.GetAsync(c.ScanHash!, ct), c.ScanType!, $"certificate-{c.Kind}-{c.Id}{extension}");
    }

    private static bool MaySeeScan(CurrentUser user, Certificate c) =>
        c.TechnicianUserId == user.UserId || (user.IsAny(HrRoles) && user.CanSeeBranch(c.BranchId));

    private async Task<List<CertificateDto>> Dtos(CurrentUser user, IReadOnlyList<Certificate> items, CancellationToken ct)
    {
        var techIds = items.Select(c => c.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var result = new List<CertificateDto>(items.Count);
        foreach (var c in items)
        {
            var zone = await zones.For(c.BranchId, ct);
            result.Add(new CertificateDto(c.Id, c.BranchId, c.TechnicianId, names.GetValueOrDefault(c.TechnicianId, ""), c.Kind, Msg.Code("certificate", c.Kind).Render(),
                c.Number, c.ValidFrom, c.ValidTo, c.ValidOn(BranchTime.Today(clock.GetUtcNow(), zone)), c.RecordedBy, BranchTime.Local(c.RecordedAt, zone))
            {
                ScanUrl = c.ScanHash is not null && MaySeeScan(user, c) ? $"/api/certificates/{c.Id}/scan" : null,
            });
        }
        return result;
    }
}

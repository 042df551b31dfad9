using System.Globalization;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="Item">A code of the policy's onboarding checklist: theoryTest, practicalTest, idCardCopy, recentFrontalPhoto, medicalExamForm, recruitmentRegistrationForm, safetyResponsibilityAgreement, insurance, onboardingTraining.</param>
/// <param name="Document">The scanned document as a data: URL (JPEG, PNG, WebP or PDF, at most 10 MB): required for the documents.</param>
/// <param name="Reference">The insurance policy's number (insurance only).</param>
public sealed record HiringItemBody(string? Item, string? Note, string? Document, string? Reference, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <param name="Cost">What the uniform cost the company, CNY; the person is charged the share the policy does not pay (HR-06).</param>
public sealed record UniformBody(decimal? Cost, string? Note);

public sealed record ChecklistItemDto(string Code, string Name, bool Done, bool NeedsDocument, string? RecordedBy, DateTimeOffset? RecordedAt, string? Note,
    string? Reference, DateOnly? ValidFrom, DateOnly? ValidTo, decimal? Amount, string? DocumentUrl);

public sealed record OffboardingDto(DateOnly LastDay, string Reason, decimal CommissionPending, decimal Withheld, DateOnly? ClearedOn, DateOnly? PaidOn,
    IReadOnlyList<ChecklistItemDto> Items, bool Complete, int Version)
{
    /// <summary>HR-09, TLS-07: company tools the leaver still holds (to return, or report lost, before the debts are settled).</summary>
    public IReadOnlyList<ToolToReturnDto> ToolsToReturn { get; init; } = [];
}

public sealed record ToolToReturnDto(long Id, string Item, decimal Value, DateOnly IssuedOn);

/// <summary>A person's standing with the company: the hiring checklist, the uniform, and the leaving checklist once they leave.</summary>
public sealed record EmploymentDto(int TechnicianId, int UserId, string Name, int BranchId, string Employment, string EmploymentName,
    IReadOnlyList<ChecklistItemDto> Onboarding, bool OnboardingComplete, IReadOnlyList<string> Missing, ChecklistItemDto? Uniform, OffboardingDto? Offboarding);

/// <summary>
/// Hiring (HR-02..08, TRN-01, TRN-06, SC-35): HR records the onboarding checklist the policy in force names, item by item
/// (who, when; each document an attachment checked by its content, readable only by HR and the person); the uniform's
/// cost is split (HR-06: half charged to the person as a ledger line); and the person is set active only when every item
/// is on file and the insurance covers today. Until then the one eligibility rule keeps them out of dispatch.
/// </summary>
public sealed class RecordHiring(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, IBlobStore blobs)
{
    /// <summary>Who keeps the HR record (the after-sales supervisor and the managers); the person reads their own.</summary>
    public static readonly string[] HrRoles = RecordCertificate.HrRoles;

    public const long MaxDocumentBytes = 10 * 1024 * 1024;

    public async Task<EmploymentDto> Show(CurrentUser user, int technicianId, CancellationToken ct)
    {
        var tech = await Readable(user, technicianId, ct);
        return await Dto(tech, ct);
    }

    public async Task<EmploymentDto> RecordItem(CurrentUser user, int technicianId, HiringItemBody r, CancellationToken ct)
    {
        user.RequireAny("keep the HR record", HrRoles);
        var tech = await Writable(user, technicianId, ct);
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        var checklist = policy.OnboardingChecklist.Where(i => i.Code != CompanyPolicy.TrainingPassItem).ToList();
        var v = new Validator();
        var item = checklist.FirstOrDefault(i => i.Code == r.Item);
        if (string.IsNullOrWhiteSpace(r.Item)) v.Add("item", "{0} is required.");
        else if (r.Item == CompanyPolicy.TrainingPassItem) v.Add("item", "{0}: the training pass is recorded as a certificate (POST /api/certificates).");
        else if (item is null)
            v.Add("item", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Item), Msg.Join(checklist.Select(i => Msg.Choice("onboarding", i.Code))));
        v.MaxLength(r.Note, 500, "note");
        var isDocument = item is not null && policy.OnboardingDocuments.Any(d => d.Code == item.Code);
        byte[]? document = null;
        string? type = null;
        if (isDocument)
        {
            if (string.IsNullOrEmpty(r.Document)) v.Add("document", "{0} is required.");
            else if (Document(r.Document) is { } d) (document, type) = d;
            else v.Add("document", "{0} is a JPEG, PNG, WebP or PDF file of at most 10 MB, as a data: URL.");
        }
        else if (r.Document is not null) v.Add("document", "{0}: this item takes no document.");
        if (item?.Code == CompanyPolicy.InsuranceItem)
        {
            v.RequiredText(r.Reference, 64, "reference");
            if (r.ValidFrom is null) v.Add("validFrom", "{0} is required.");
            if (r.ValidTo is null) v.Add("validTo", "{0} is required.");
            else if (r.ValidFrom is { } f && r.ValidTo < f) v.Add("validTo", "{0} cannot be before the first day.");
        }
        v.ThrowIfInvalid();
        if (tech.Employment is EmploymentStatus.Left)
            throw new ConflictException(Msg.Of("{0} has left the company; the hiring record is closed.", tech.User!.DisplayName));
        db.Add(new HrRecord
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Stage = HrRecord.Hiring, Item = item!.Code,
            Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), Reference = r.Reference?.Trim(), ValidFrom = r.ValidFrom, ValidTo = r.ValidTo,
            DocumentHash = document is null ? null : await blobs.PutAsync(document, ct), DocumentType = type,
            RecordedBy = user.UserName, RecordedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return await Dto(tech, ct);
    }

    /// <summary>Sets a new hire active: 409 naming what is missing while the checklist is incomplete or the insurance does not cover today (HR-08).</summary>
    public async Task<EmploymentDto> Activate(CurrentUser user, int technicianId, CancellationToken ct)
    {
        user.RequireAny("keep the HR record", HrRoles);
        var tech = await Writable(user, technicianId, ct, tracking: true);
        if (tech.Employment != EmploymentStatus.Onboarding)
            throw new WorkOrders.IllegalTransitionException("a technician", "employment", tech.Employment, "activate");
        var dto = await Dto(tech, ct);
        if (!dto.OnboardingComplete)
            throw new ConflictException(Msg.Of("{0} cannot be set active: the onboarding checklist is missing {1}.", tech.User!.DisplayName,
                Msg.Join(dto.Onboarding.Where(i => !i.Done).Select(i => Msg.Verbatim(i.Name)))));
        tech.Employment = EmploymentStatus.Active;
        await db.SaveChangesAsync(ct);
        return await Dto(tech, ct);
    }

    /// <summary>HR-06: the uniform issued; the person's share of its cost (100 % less the company's) is deducted from their pay.</summary>
    public async Task<EmploymentDto> IssueUniform(CurrentUser user, int technicianId, UniformBody r, CancellationToken ct)
    {
        user.RequireAny("keep the HR record", HrRoles);
        var tech = await Writable(user, technicianId, ct);
        var v = new Validator();
        if (r.Cost is null) v.Add("cost", "{0} is required.");
        else if (r.Cost <= 0 || r.Cost > 100_000) v.Add("cost", "{0} must be more than 0 and at most {1}.", 100_000);
        v.MaxLength(r.Note, 500, "note");
        v.ThrowIfInvalid();
        if (tech.Employment is EmploymentStatus.Left or EmploymentStatus.Leaving)
            throw new ConflictException(Msg.Of("{0} is leaving the company; no uniform is issued.", tech.User!.DisplayName));
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var cost = r.Cost!.Value;
        var charged = Math.Round(cost * (100m - policy.UniformCompanySharePercent) / 100m, 2, MidpointRounding.AwayFromZero);
        db.Add(new HrRecord
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Stage = HrRecord.Hiring, Item = UniformItem,
            Amount = cost, Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), RecordedBy = user.UserName, RecordedAt = now,
        });
        if (charged > 0)
        {
            var period = await PayLedger.PeriodFor(db, tech.BranchId, PayPeriod.Of(now, await zones.For(tech.BranchId, ct)), ct);
            db.PayLedger.Add(PayLedgerEntry.Hr(tech.BranchId, tech.UserId, PayLedgerKind.Charge, -charged, "HR-06",
                Msg.Of("Uniform {0} CNY: the person's share, {1} CNY", Format.Money(cost), Format.Money(charged)), period, user.UserName, now));
        }
        await db.SaveChangesAsync(ct);
        return await Dto(tech, ct);
    }

    /// <summary>A document on file: for HR of the person's branch and the person only (never in an export or a log line).</summary>
    public async Task<(byte[] Content, string Type, string Name)> Document(CurrentUser user, int technicianId, long recordId, CancellationToken ct)
    {
        var tech = await Readable(user, technicianId, ct);
        var record = await db.HrRecords.AsNoTracking().FirstOrDefaultAsync(x => x.Id == recordId && x.TechnicianId == tech.Id && x.DocumentHash != null, ct)
            ?? throw new NotFoundException("Document", recordId);
        var extension = record.DocumentType == "application/pdf" ? ".pdf" : WorkOrders.ImageContent.Extension(record.DocumentType!);
        return (await blobs.GetAsync(record.DocumentHash!, ct), record.DocumentType!, $"{record.Item}-{record.Id}{extension}");
    }

    public const string UniformItem = "uniform";

    /// <summary>HR of the person's branch, or the person: others 403; another branch's person 404.</summary>
    internal async Task<Technician> Readable(CurrentUser user, int technicianId, CancellationToken ct)
    {
        user.RequireAny("read the HR record", [Roles.Technician, .. HrRoles]);
        var tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == technicianId, ct);
        if (tech is null || (user.IsAny(HrRoles) ? !user.CanSeeBranch(tech.BranchId) : tech.UserId != user.UserId))
            throw new NotFoundException("Technician", technicianId);
        return tech;
    }

    internal async Task<Technician> Writable(CurrentUser user, int technicianId, CancellationToken ct, bool tracking = false)
    {
        var query = db.Technicians.Include(t => t.User).AsQueryable();
        var tech = await (tracking ? query.AsTracking() : query.AsNoTracking()).FirstOrDefaultAsync(t => t.Id == technicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw new NotFoundException("Technician", technicianId);
        return tech;
    }

    public async Task<EmploymentDto> Dto(Technician tech, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var zone = await zones.For(tech.BranchId, ct);
        var today = BranchTime.Today(now, zone);
        var records = await db.HrRecords.AsNoTracking().Where(x => x.TechnicianId == tech.Id).OrderBy(x => x.Id).ToListAsync(ct);
        var documents = policy.OnboardingDocuments.Select(d => d.Code).ToHashSet();
        var onboarding = new List<ChecklistItemDto>();
        foreach (var item in policy.OnboardingChecklist)
        {
            if (item.Code == CompanyPolicy.TrainingPassItem)
            {
                var pass = await db.Certificates.AsNoTracking().Where(c => c.TechnicianId == tech.Id && c.Kind == "trainingPass")
                    .OrderByDescending(c => c.ValidTo).FirstOrDefaultAsync(ct);
                onboarding.Add(new(item.Code, item.Name("onboarding"), pass?.ValidOn(today) == true, false, pass?.RecordedBy, BranchTime.Local(pass?.RecordedAt, zone),
                    null, pass?.Number, pass?.ValidFrom, pass?.ValidTo, null, null));
                continue;
            }
            var last = records.LastOrDefault(x => x.Stage == HrRecord.Hiring && x.Item == item.Code);
            var done = last is not null && (item.Code != CompanyPolicy.InsuranceItem || (last.ValidFrom <= today && today <= last.ValidTo));
            onboarding.Add(Item("onboarding", item, last, done, documents.Contains(item.Code), tech, zone));
        }
        var uniform = records.LastOrDefault(x => x.Item == UniformItem);
        var leaving = await db.Offboardings.AsNoTracking().FirstOrDefaultAsync(o => o.TechnicianId == tech.Id, ct);
        OffboardingDto? offboarding = null;
        if (leaving is not null)
        {
            var items = policy.OffboardingChecklist.Select(i =>
            {
                var last = records.LastOrDefault(x => x.Stage == HrRecord.Leaving && x.Item == i.Code);
                return Item("offboarding", i, last, last is not null, false, tech, zone);
            }).ToList();
            offboarding = new OffboardingDto(leaving.LastDay, leaving.Reason, leaving.CommissionPending, leaving.ClearedOn is null && policy.WithholdCommissionUntilOffboarded ? leaving.CommissionPending : 0,
                leaving.ClearedOn, leaving.PaidOn, items, items.All(i => i.Done), leaving.Version)
            {
                ToolsToReturn = await db.Set<CompanyTool>().AsNoTracking().Where(t => t.TechnicianId == tech.Id && t.Status == CompanyToolStatus.Issued).OrderBy(t => t.Id)
                    .Select(t => new ToolToReturnDto(t.Id, t.Item, t.Value, t.IssuedOn)).ToListAsync(ct),
            };
        }
        return new EmploymentDto(tech.Id, tech.UserId, tech.User?.DisplayName ?? "", tech.BranchId, tech.Employment, Msg.Code("employment", tech.Employment).Render(),
            onboarding, onboarding.All(i => i.Done), onboarding.Where(i => !i.Done).Select(i => i.Code).ToList(),
            uniform is null ? null : Item("hiring", new PolicyItem(UniformItem, null), uniform, true, false, tech, zone), offboarding);
    }

    private static ChecklistItemDto Item(string kind, PolicyItem item, HrRecord? last, bool done, bool needsDocument, Technician tech, TimeZoneInfo zone) =>
        new(item.Code, item.Name(kind), done, needsDocument, last?.RecordedBy, BranchTime.Local(last?.RecordedAt, zone), last?.Note, last?.Reference,
            last?.ValidFrom, last?.ValidTo, last?.Amount,
            last?.DocumentHash is null ? null : $"/api/technicians/{tech.Id}/employment/documents/{last.Id}");

    /// <summary>The bytes and sniffed type of a data: URL, when they are an image or a PDF of at most 10 MB.</summary>
    internal static (byte[] Bytes, string Type)? Document(string data)
    {
        var comma = data.IndexOf(',', StringComparison.Ordinal);
        if (!data.StartsWith("data:", StringComparison.Ordinal) || comma < 0) return null;
        try
        {
            var bytes = Convert.FromBase64String(data[(comma + 1)..]);
            if (bytes.Length == 0 || bytes.Length > MaxDocumentBytes) return null;
            if (WorkOrders.ImageContent.Sniff(bytes) is { } image) return (bytes, image);
            return bytes.AsSpan().StartsWith("%PDF-"u8) ? (bytes, "application/pdf") : null;
        }
        catch (FormatException) { return null; }
    }

    internal static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

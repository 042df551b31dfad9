using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="IssuedOn">The day it was handed over; today (branch time) when not given.</param>
public sealed record IssueToolBody(int? TechnicianId, string? Item, decimal? Value, DateOnly? IssuedOn, string? Note);

/// <param name="Kind">For a report: lost or damaged.</param>
/// <param name="Day">The day it came back, or was lost; today when not given.</param>
public sealed record CloseToolBody(string? Kind, DateOnly? Day, string? Note);

public sealed record CompanyToolDto(long Id, int BranchId, int TechnicianId, string TechnicianName, string Item, decimal Value, DateOnly IssuedOn, string IssuedBy,
    string Status, string StatusName, DateOnly? ClosedOn, string? ClosedBy, string? Note, decimal? Charged, int Version);

/// <summary>
/// TLS-07, HR-09: company tools issued to a person (<c>POST /api/company-tools</c>, by HR), returned
/// (<c>…/{id}/return</c>) or reported lost or damaged (<c>…/{id}/report-loss</c>, HR or the person, "promptly, so the
/// company can replace it"). A loss charges the person the policy's share of the value as a <c>charge</c> ledger line
/// (TLS-07; none unless the tenant sets <c>tools.lostToolCompensationPercent</c>). Shown on <c>/people/tools</c> and, as
/// the tools still to return, in the offboarding checklist.
/// </summary>
public sealed class IssueCompanyTools(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] LossKinds = [CompanyToolStatus.Lost, CompanyToolStatus.Damaged];

    public async Task<CompanyToolDto> Issue(CurrentUser user, IssueToolBody r, CancellationToken ct)
    {
        user.RequireAny("issue company tools", RecordHiring.HrRoles);
        var v = new Validator();
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        v.RequiredText(r.Item, 100, "item");
        if (r.Value is null) v.Add("value", "{0} is required.");
        else if (r.Value < 0 || r.Value > 1_000_000 || decimal.Round(r.Value.Value, 2) != r.Value) v.Add("value", "{0} must be between 0 and {1}, in yuan and fen.", 1_000_000);
        v.MaxLength(r.Note, 500, "note");
        v.ThrowIfInvalid();
        var tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        if (tech.Employment is Technicians.EmploymentStatus.Left)
            throw new ConflictException(Msg.Of("{0} has left the company; no tool is issued.", tech.User?.DisplayName ?? ""));
        var today = BranchTime.Today(clock.GetUtcNow(), await zones.For(tech.BranchId, ct));
        if (r.IssuedOn > today) throw ValidationFailedException.For("issuedOn", "{0} cannot be in the future.");
        var tool = new CompanyTool
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Item = r.Item!.Trim(), Value = r.Value!.Value,
            IssuedOn = r.IssuedOn ?? today, IssuedBy = user.UserName,
        };
        db.Add(tool);
        await db.SaveChangesAsync(ct);
        return Dto(tool, tech.User?.DisplayName ?? "");
    }

    public Task<CompanyToolDto> Return(CurrentUser user, long id, CloseToolBody r, CancellationToken ct) => Close(user, id, CompanyToolStatus.Returned, r, ct);

    public async Task<CompanyToolDto> ReportLoss(CurrentUser user, long id, CloseToolBody r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Kind)) throw ValidationFailedException.For("kind", "{0} is required.");
        if (!LossKinds.Contains(r.Kind))
            throw ValidationFailedException.For("kind", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Kind), Msg.Join(LossKinds.Select(k => Msg.Choice("companyTool", k))));
        return await Close(user, id, r.Kind, r, ct);
    }

    private async Task<CompanyToolDto> Close(CurrentUser user, long id, string status, CloseToolBody r, CancellationToken ct)
    {
        // The person reports their own loss (TLS-07); returns are taken by HR.
        user.RequireAny(status == CompanyToolStatus.Returned ? "take back company tools" : "report a company tool lost", status == CompanyToolStatus.Returned
            ? RecordHiring.HrRoles : [Roles.Technician, .. RecordHiring.HrRoles]);
        var v = new Validator();
        v.MaxLength(r.Note, 500, "note");
        if (status != CompanyToolStatus.Returned && string.IsNullOrWhiteSpace(r.Note)) v.Add("note", "{0} is required: what happened.");
        v.ThrowIfInvalid();
        var tool = await db.Set<CompanyTool>().AsTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (tool is null || !(user.IsAny(RecordHiring.HrRoles) ? user.CanSeeBranch(tool.BranchId) : tool.TechnicianUserId == user.UserId))
            throw new NotFoundException("Company tool", id);
        var now = clock.GetUtcNow();
        var zone = await zones.For(tool.BranchId, ct);
        var today = BranchTime.Today(now, zone);
        if (r.Day > today) throw ValidationFailedException.For("day", "{0} cannot be in the future.");
        decimal? charged = null;
        if (status != CompanyToolStatus.Returned)
        {
            var policy = await policies.InForce(db, now, ct);
            charged = Math.Round(tool.Value * policy.LostToolCompensationPercent / 100m, 2, MidpointRounding.AwayFromZero);
        }
        tool.Close(status, r.Day ?? today, user.UserName, string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), charged);
        if (charged > 0)
        {
            var period = await PayLedger.PeriodFor(db, tool.BranchId, PayPeriod.Of(now, zone), ct);
            db.PayLedger.Add(PayLedgerEntry.Hr(tool.BranchId, tool.TechnicianUserId, PayLedgerKind.Charge, -charged.Value, "TLS-07",
                Msg.Of("Company tool {0} {1} ({2} CNY): the person's share, {3} CNY", tool.Item, Msg.Code("companyTool", status), Format.Money(tool.Value), Format.Money(charged.Value)),
                period, user.UserName, now));
        }
        await db.SaveChangesAsync(ct);
        var name = await db.Technicians.AsNoTracking().Where(t => t.Id == tool.TechnicianId).Select(t => t.User!.DisplayName).FirstAsync(ct);
        return Dto(tool, name);
    }

    public async Task<Page<CompanyToolDto>> List(CurrentUser user, int? technicianId, string? status, int? page, int? pageSize, CancellationToken ct, bool mine = false)
    {
        user.RequireAny("read company tools", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Set<CompanyTool>().AsNoTracking();
        if (user.IsOnlyTechnician || mine) query = query.Where(t => t.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(t => t.BranchId == user.BranchId);
        if (technicianId is { } id) query = query.Where(t => t.TechnicianId == id);
        if (!string.IsNullOrEmpty(status)) query = query.Where(t => t.Status == status);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(t => t.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Page<CompanyToolDto>(await Dtos(items, ct), total);
    }

    /// <summary>HR-09: the tools a leaver still holds (neither returned nor reported lost).</summary>
    public async Task<List<CompanyToolDto>> Outstanding(int technicianId, CancellationToken ct) =>
        await Dtos(await db.Set<CompanyTool>().AsNoTracking().Where(t => t.TechnicianId == technicianId && t.Status == CompanyToolStatus.Issued).OrderBy(t => t.Id).ToListAsync(ct), ct);

    private async Task<List<CompanyToolDto>> Dtos(IReadOnlyList<CompanyTool> items, CancellationToken ct)
    {
        var ids = items.Select(t => t.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        return items.Select(t => Dto(t, names.GetValueOrDefault(t.TechnicianId, ""))).ToList();
    }

    private static CompanyToolDto Dto(CompanyTool t, string name) =>
        new(t.Id, t.BranchId, t.TechnicianId, name, t.Item, t.Value, t.IssuedOn, t.IssuedBy, t.Status, Msg.Code("companyTool", t.Status).Render(), t.ClosedOn, t.ClosedBy, t.Note,
            t.Charged, t.Version);
}

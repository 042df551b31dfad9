using Fieldline.Web.Infrastructure.Localization;
using System.Text.RegularExpressions;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Technicians;

public sealed record TechnicianDto(int Id, int UserId, string Username, string Name, int BranchId, IReadOnlyList<string> Skills,
    IReadOnlyList<string> Regions, GeoPoint? Home, string? PayGrade, bool OnDuty, int Version, string Employment, bool PartTime)
{
    public static TechnicianDto From(Technician t) => new(t.Id, t.UserId, t.User?.UserName ?? "", t.User?.DisplayName ?? "", t.BranchId,
        t.Skills, t.Regions, t.HomeLat is { } lat && t.HomeLng is { } lng ? new GeoPoint(lat, lng) : null, t.PayGrade, t.OnDuty, t.Version, t.Employment, t.PartTime);
}

/// <param name="AlreadyEmployed">
/// true for a person employed before Fieldline kept the HR record (their papers are on file already): the profile is
/// active at once. Otherwise a new profile starts onboarding (HR-02..08) and is not dispatched until HR sets it active.
/// </param>
public sealed record CreateTechnicianRequest(int? UserId, List<string>? Skills, List<string>? Regions, GeoPoint? Home, string? PayGrade, bool? OnDuty, bool? AlreadyEmployed = null, bool? PartTime = null);

/// <param name="PartTime">兼职 (DSP-21): a manager's decision, like the rest of the profile.</param>
public sealed record UpdateTechnicianRequest(int? Version, List<string>? Skills, List<string>? Regions, GeoPoint? Home, string? PayGrade, bool? OnDuty, bool? PartTime = null);

/// <summary>Technician profiles. Office staff of the branch read them; managers and admins create and change them.</summary>
public sealed partial class ManageTechnicians(AppDbContext db)
{
    private static readonly string[] Managers = [Roles.Admin, Roles.Manager];

    [GeneratedRegex("^[a-z][A-Za-z]*\\.[a-z][A-Za-z]*$")]
    private static partial Regex SkillPattern();

    public async Task<Page<TechnicianDto>> List(CurrentUser user, int? branchId, bool? onDuty, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("list technicians", Roles.Office);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = Visible(user);
        if (branchId is { } b) query = query.Where(t => t.BranchId == b);
        if (onDuty is { } d) query = query.Where(t => t.OnDuty == d);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(t => t.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Page<TechnicianDto>(items.Select(TechnicianDto.From).ToList(), total);
    }

    public async Task<TechnicianDto> Get(CurrentUser user, int id, CancellationToken ct)
    {
        var tech = await Visible(user).FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("Technician", id);
        return TechnicianDto.From(tech);
    }

    public async Task<TechnicianDto> Create(CurrentUser user, CreateTechnicianRequest request, CancellationToken ct)
    {
        user.RequireAny("create technician profiles", Managers);
        var v = new Validator();
        User? target = null;
        if (request.UserId is null) v.Add("userId", "{0} is required.");
        else
        {
            target = await db.Users.FirstOrDefaultAsync(u => u.Id == request.UserId, ct);
            if (target is null || !user.CanSeeBranch(target.BranchId)) v.Add("userId", "User {1} does not exist.", request.UserId);
            else if (!target.Roles.Contains(Roles.Technician)) v.Add("userId", "User {1} does not have the technician role.", target.UserName);
        }
        ValidateProfile(v, request.Skills, request.Regions, request.Home, request.PayGrade);
        v.ThrowIfInvalid();
        if (await db.Technicians.AnyAsync(t => t.UserId == request.UserId, ct))
            throw new ConflictException(Msg.Of("User {0} already has a technician profile.", target!.UserName));

        var tech = new Technician
        {
            UserId = target!.Id, BranchId = target.BranchId, Skills = Distinct(request.Skills), Regions = Distinct(request.Regions),
            HomeLat = request.Home?.Lat, HomeLng = request.Home?.Lng, PayGrade = request.PayGrade, OnDuty = request.OnDuty ?? true, PartTime = request.PartTime ?? false,
            Employment = request.AlreadyEmployed == true ? EmploymentStatus.Active : EmploymentStatus.Onboarding,
        };
        db.Technicians.Add(tech);
        await db.SaveChangesAsync(ct);
        return await Get(user, tech.Id, ct);
    }

    public async Task<TechnicianDto> Update(CurrentUser user, int id, UpdateTechnicianRequest request, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("change technician profiles", [.. Managers, Roles.Dispatcher]);
        var tech = await Visible(user).AsTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("Technician", id);
        var v = new Validator();
        ValidateProfile(v, request.Skills, request.Regions, request.Home, request.PayGrade);
        v.ThrowIfInvalid();
        Concurrency.Check("Technician", tech.Version, request.Version, ifMatch);
        // A dispatcher may only put a technician on or off duty; the profile itself is a manager's decision.
        if (!user.IsAny(Managers) && (request.Skills ?? request.Regions ?? (object?)request.Home ?? (object?)request.PayGrade ?? request.PartTime) is not null)
            throw new ForbiddenException("A dispatcher may change only whether a technician is on duty.");

        if (request.Skills is not null) tech.Skills = Distinct(request.Skills);
        if (request.Regions is not null) tech.Regions = Distinct(request.Regions);
        if (request.Home is not null) (tech.HomeLat, tech.HomeLng) = (request.Home.Lat, request.Home.Lng);
        if (request.PayGrade is not null) tech.PayGrade = request.PayGrade;
        if (request.OnDuty is { } onDuty) tech.OnDuty = onDuty;
        if (request.PartTime is { } partTime) tech.PartTime = partTime;
        await db.SaveChangesAsync(ct);
        return TechnicianDto.From(tech);
    }

    private IQueryable<Technician> Visible(CurrentUser user)
    {
        var query = db.Technicians.AsNoTracking().Include(t => t.User).AsQueryable();
        if (user.IsOnlyTechnician) return query.Where(t => t.UserId == user.UserId);
        return user.IsHeadOffice ? query : query.Where(t => t.BranchId == user.BranchId);
    }

    private static void ValidateProfile(Validator v, List<string>? skills, List<string>? regions, GeoPoint? home, string? payGrade)
    {
        if (skills is { Count: > 50 }) v.Add("skills", "At most 50 skills.");
        foreach (var s in skills ?? [])
            if (s is null || !SkillPattern().IsMatch(s) || s.Length > 40) v.Add("skills", "'{1}' is not a skill; use productLine.kind, e.g. ac.repair.", s);
        if (regions is { Count: > 50 }) v.Add("regions", "At most 50 regions.");
        foreach (var r in regions ?? [])
            if (string.IsNullOrWhiteSpace(r) || r.Length > 50) v.Add("regions", "Each region is 1–50 characters.");
        GeoPoint.Validate(v, home, "home", required: false);
        v.MaxLength(payGrade, 32, "payGrade");
    }

    private static List<string> Distinct(List<string>? values) => (values ?? []).Select(x => x.Trim()).Distinct().ToList();
}

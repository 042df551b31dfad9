using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

public sealed record TrainingBody(string? Title, string? Kind, DateOnly? Day, int? BranchId);

/// <param name="Present">The technicians who attended.</param>
/// <param name="Absent">The technicians who were expected and did not come: each proposes the policy's fine (TRN-05).</param>
public sealed record TrainingAttendanceBody(IReadOnlyList<int>? Present, IReadOnlyList<int>? Absent);

public sealed record TrainingAttendeeDto(int TechnicianId, string TechnicianName, bool Present, long? PenaltyCaseId, decimal? FineAmount);

public sealed record TrainingDto(long Id, int BranchId, string Title, string Kind, string KindName, DateOnly Day, string CreatedBy, DateTimeOffset CreatedAt,
    IReadOnlyList<TrainingAttendeeDto> Attendance);

/// <summary>
/// Trainings and their attendance lists (TRN-01..05): <c>POST /api/trainings</c> schedules one for a branch and day;
/// <c>POST /api/trainings/{id}/attendance</c> records who came and who did not, on or after the day — each absence
/// proposes the policy's <c>trainingOrActivityAbsence</c> fine (50 CNY under Gree, SC-35) through the one penalty factory.
/// A person is on a list once: recording them again is a conflict.
/// </summary>
public sealed class ManageTrainings(AppDbContext db, PolicyStore policies, ProposePenaltyCase penalties, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Organisers = RecordCertificate.HrRoles;

    public async Task<TrainingDto> Create(CurrentUser user, TrainingBody r, CancellationToken ct)
    {
        user.RequireAny("schedule a training", Organisers);
        var v = new Validator("training");
        v.RequiredText(r.Title, 200, "title");
        if (string.IsNullOrWhiteSpace(r.Kind)) v.Add("kind", "{0} is required.");
        else if (!Training.Kinds.Contains(r.Kind))
            v.Add("kind", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Kind), Msg.Join(Training.Kinds.Select(k => Msg.Choice("training", k))));
        if (r.Day is null) v.Add("day", "{0} is required.");
        v.ThrowIfInvalid();
        var branchId = r.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct))
            throw ValidationFailedException.For("branchId", "Branch {1} does not exist.", branchId);
        var training = new Training
        {
            BranchId = branchId, Title = r.Title!.Trim(), Kind = r.Kind!, Day = r.Day!.Value, CreatedBy = user.UserName, CreatedAt = clock.GetUtcNow(),
        };
        db.Add(training);
        await db.SaveChangesAsync(ct);
        return await Dto(training, ct);
    }

    public async Task<TrainingDto> RecordAttendance(CurrentUser user, long id, TrainingAttendanceBody r, CancellationToken ct)
    {
        user.RequireAny("record training attendance", Organisers);
        var training = await db.Set<Training>().Include(t => t.Attendance).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (training is null || !user.CanSeeBranch(training.BranchId)) throw new NotFoundException("Training", id);
        var present = (r.Present ?? []).Distinct().ToList();
        var absent = (r.Absent ?? []).Distinct().ToList();
        var v = new Validator("training");
        if (present.Count + absent.Count == 0) v.Add("present", "{0} or the absent list must name at least one technician.");
        if (present.Intersect(absent).Any()) v.Add("absent", "{0}: a technician cannot be both present and absent.");
        v.ThrowIfInvalid();
        var ids = present.Concat(absent).ToList();
        var techs = await db.Technicians.AsNoTracking().Where(t => ids.Contains(t.Id) && t.BranchId == training.BranchId).ToListAsync(ct);
        if (ids.Where(i => techs.All(t => t.Id != i)).ToList() is [var unknown, ..])
            v.Add(present.Contains(unknown) ? "present" : "absent", "Technician {1} does not exist in this branch.", unknown).ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var zone = await zones.For(training.BranchId, ct);
        if (training.Day > BranchTime.Today(now, zone))
            throw new ConflictException(Msg.Of("Attendance is recorded on or after the training's day ({0}).", training.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        if (training.Attendance.FirstOrDefault(a => ids.Contains(a.TechnicianId)) is { } again)
            throw new ConflictException(Msg.Of("Technician {0} is already on this training's attendance list.", again.TechnicianId));
        var policy = await policies.InForce(db, now, ct);
        foreach (var tech in techs)
        {
            var isPresent = present.Contains(tech.Id);
            PenaltyCase? fine = null;
            if (!isPresent && policy.RuleFor(TrainingAbsenceRule, StaffCategory.OfSkills(tech.Skills)) is { } rule)
                fine = (await penalties.Handle(new PenaltyFinding(policy, rule, tech.UserId, tech.BranchId, now,
                    new { trainingId = training.Id, training = training.Title, day = training.Day }) { RecordedBy = user.UserName, OccurredOn = training.Day }, ct)).Case;
            training.Attendance.Add(new TrainingAttendance
            {
                TrainingId = training.Id, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Present = isPresent, PenaltyCase = fine,
                RecordedBy = user.UserName, RecordedAt = now,
            });
        }
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "TrainingAttendance"))
        {
            // Two desks recorded the same person at the same moment: the first stands, with its one fine.
            throw new ConflictException(Msg.Of("Someone else recorded this training's attendance at the same moment; nothing was saved. Reload the list."));
        }
        return await Dto(training, ct);
    }

    /// <summary>TRN-05 / PEN-06: absent from a company or manufacturer training or activity.</summary>
    public const string TrainingAbsenceRule = "trainingOrActivityAbsence";

    public async Task<Page<TrainingDto>> List(CurrentUser user, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read trainings", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Set<Training>().AsNoTracking().Include(t => t.Attendance).ThenInclude(a => a.PenaltyCase).AsQueryable();
        // A technician sees the trainings they are on the list of, and only their own line.
        if (user.IsOnlyTechnician) query = query.Where(t => t.Attendance.Any(a => a.TechnicianUserId == user.UserId));
        else if (!user.IsHeadOffice) query = query.Where(t => t.BranchId == user.BranchId);
        if (from is { } f) query = query.Where(t => t.Day >= f);
        if (to is { } u) query = query.Where(t => t.Day <= u);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(t => t.Day).ThenByDescending(t => t.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<TrainingDto>(items.Count);
        foreach (var t in items) result.Add(await Dto(t, ct, user.IsOnlyTechnician ? user.UserId : null));
        return new Page<TrainingDto>(result, total);
    }

    private async Task<TrainingDto> Dto(Training t, CancellationToken ct, int? onlyUserId = null)
    {
        var zone = await zones.For(t.BranchId, ct);
        var rows = t.Attendance.Where(a => onlyUserId is null || a.TechnicianUserId == onlyUserId).ToList();
        var techIds = rows.Select(a => a.TechnicianId).ToList();
        var names = await db.Technicians.AsNoTracking().Where(x => techIds.Contains(x.Id)).Select(x => new { x.Id, x.User!.DisplayName }).ToDictionaryAsync(x => x.Id, x => x.DisplayName, ct);
        return new TrainingDto(t.Id, t.BranchId, t.Title, t.Kind, Msg.Code("training", t.Kind).Render(), t.Day, t.CreatedBy, BranchTime.Local(t.CreatedAt, zone),
            rows.OrderBy(a => a.Id).Select(a => new TrainingAttendeeDto(a.TechnicianId, names.GetValueOrDefault(a.TechnicianId, ""), a.Present, a.PenaltyCaseId ?? a.PenaltyCase?.Id,
                a.PenaltyCase?.Amount)).ToList());
    }
}

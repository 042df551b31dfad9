using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

public sealed record BranchDto(int Id, string Name, int? ParentId, string TimeZone, int Version)
{
    public static BranchDto From(Branch b) => new(b.Id, b.Name, b.ParentId, b.TimeZone, b.Version);
}

public sealed record CreateBranchRequest(string? Name, int? ParentId, string? TimeZone);

/// <summary>Lists the branches the caller may see, and lets an admin open a new branch under head office.</summary>
public sealed class ManageBranches(AppDbContext db)
{
    public async Task<IReadOnlyList<BranchDto>> List(CurrentUser user, CancellationToken ct)
    {
        var branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).ToListAsync(ct);
        return branches.Where(b => user.CanSeeBranch(b.Id) || b.IsHeadOffice).Select(BranchDto.From).ToList();
    }

    /// <summary>One branch, as the list shows it: the caller's own (every branch for head office), and the head office to anyone.</summary>
    public async Task<BranchDto> Get(CurrentUser user, int id, CancellationToken ct)
    {
        var branch = await db.Branches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (branch is null || !(user.CanSeeBranch(branch.Id) || branch.IsHeadOffice)) throw new NotFoundException("Branch", id);
        return BranchDto.From(branch);
    }

    public async Task<BranchDto> Create(CurrentUser user, CreateBranchRequest request, CancellationToken ct)
    {
        user.RequireAny("create branches", Roles.Admin);
        if (!user.IsHeadOffice) throw new ForbiddenException("Only head-office administrators may create branches.");
        var v = new Validator().RequiredText(request.Name, 100, "name");
        var zone = request.TimeZone ?? BranchTime.DefaultZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)) v.Add("timeZone", "'{1}' is not a known time zone (e.g. Asia/Shanghai).", zone);
        var hasHeadOffice = await db.Branches.AnyAsync(b => b.ParentId == null, ct);
        if (request.ParentId is null && hasHeadOffice) v.Add("parentId", "{0} is required: there is already a head office.");
        if (request.ParentId is { } pid && !await db.Branches.AnyAsync(b => b.Id == pid, ct)) v.Add("parentId", "Branch {1} does not exist.", pid);
        v.ThrowIfInvalid();
        if (await db.Branches.AnyAsync(b => b.Name == request.Name, ct)) throw new ConflictException(Msg.Of("A branch named '{0}' already exists.", request.Name));
        var branch = new Branch { Name = request.Name!.Trim(), ParentId = request.ParentId, TimeZone = zone };
        db.Branches.Add(branch);
        await db.SaveChangesAsync(ct);
        return BranchDto.From(branch);
    }
}

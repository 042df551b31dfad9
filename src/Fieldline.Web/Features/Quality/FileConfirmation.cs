using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Quality;

public sealed record FileConfirmationRequest(int? Version);

/// <summary>
/// The keeper files a customer's signed confirmation (INS-03 「确认书交由派工统一保管」, INS-16's keeper by the policy): once,
/// by the role that keeps it or a manager; a second filing is a 409.
/// </summary>
public sealed class FileConfirmation(AppDbContext db, FindConfirmations find, TimeProvider clock)
{
    public async Task<ConfirmationDto> Handle(CurrentUser user, long id, FileConfirmationRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("file customer confirmations", [Roles.Dispatcher, Roles.WarehouseKeeper, Roles.Manager, Roles.Admin]);
        var confirmation = await find.Visible(user).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Customer confirmation", id);
        if (!user.IsAny(Roles.Manager, Roles.Admin, confirmation.KeeperRole))
            throw new ForbiddenException(Msg.Of("Only the {0} keeps this confirmation.", Msg.Code("role", confirmation.KeeperRole)));
        Concurrency.Check("Customer confirmation", confirmation.Version, r.Version, ifMatch);
        confirmation.File(user.UserId, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return (await find.Dtos(db.CustomerConfirmations.Where(c => c.Id == id), ct)).Single();
    }
}

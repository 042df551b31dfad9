using System.Globalization;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

public sealed record LanguageRequest(string? Language);

public sealed record MeDto(int Id, string UserName, string DisplayName, int BranchId, IReadOnlyList<string> Roles, string Language);

/// <summary>
/// Saves the language a person reads Fieldline in: the console's header switch and the phone app's switch both call it,
/// and notifications and SMS to that person are written in it.
/// </summary>
public sealed class SetLanguage(AppDbContext db)
{
    public async Task<MeDto> Handle(CurrentUser user, CultureInfo culture, CancellationToken ct)
    {
        var me = await db.Users.FirstAsync(u => u.Id == user.UserId, ct);
        me.Language = culture.Name;
        await db.SaveChangesAsync(ct);
        return Me(me);
    }

    public async Task<MeDto> Handle(CurrentUser user, LanguageRequest request, CancellationToken ct)
    {
        var culture = Catalogue.Match(request.Language);
        if (culture is null || culture.Name != request.Language)
            throw Infrastructure.Http.ValidationFailedException.For("language", Msg.Of("{0} must be zh-CN or en.", Msg.Field("language")));
        return await Handle(user, culture, ct);
    }

    public async Task<MeDto> Get(CurrentUser user, CancellationToken ct) => Me(await db.Users.AsNoTracking().FirstAsync(u => u.Id == user.UserId, ct));

    private static MeDto Me(User u) => new(u.Id, u.UserName, u.DisplayName, u.BranchId, u.Roles, u.Language ?? Catalogue.Chinese.Name);
}

using System.Security.Claims;
using System.Security.Cryptography;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fieldline.Web.Infrastructure.Auth;

public sealed class AuthOptions
{
    /// <summary>Base64 HMAC key shared by all app nodes; when empty, one is generated once and kept in the database.</summary>
    public string? SigningKey { get; set; }
    public int TokenHours { get; set; } = 12;
    /// <summary>Failed sign-ins within <see cref="LoginWindowMinutes"/> that lock an account, whatever address they come from.</summary>
    public int LoginFailuresPerAccount { get; set; } = 5;
    /// <summary>Failed sign-ins within the window that lock an address (successful ones never count, so an office shares it freely).</summary>
    public int LoginFailuresPerAddress { get; set; } = 50;
    public int LoginWindowMinutes { get; set; } = 15;
    public int LoginLockoutMinutes { get; set; } = 15;
}

public static class AuthSetup
{
    /// <summary>The back-office console's sign-in: an HttpOnly, SameSite=Strict cookie. The API takes bearer tokens only.</summary>
    public const string ConsoleScheme = "Console";
    public const string ConsolePolicy = "console";

    public static IServiceCollection AddFieldlineAuth(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fieldline:Auth").Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);
        services.AddSingleton<TokenKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer().AddCookie(ConsoleScheme, o =>
        {
            o.Cookie.Name = "fieldline.console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.ExpireTimeSpan = TimeSpan.FromHours(options.TokenHours);
            o.SlidingExpiration = true;
            // Like tokens, sessions live on the wall clock: moving the sandbox clock a week ahead must not sign anyone out.
            o.TimeProvider = TimeProvider.System;
            o.Events.OnValidatePrincipal = ConsoleSession.Validate;
            o.Events.OnRedirectToLogin = ConsoleSession.RedirectToLogin;
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenKeys>((o, keys) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenIssuer.Issuer,
                ValidAudience = TokenIssuer.Issuer,
                IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key],
                NameClaimType = CurrentUser.NameClaim,
                RoleClaimType = CurrentUser.RoleClaim,
                ClockSkew = TimeSpan.FromMinutes(1),
            };
            // A token is valid for hours; its user's rights are what the account says now, not what they were at sign-in.
            o.Events = new JwtBearerEvents
            {
                OnTokenValidated = async context =>
                {
                    if (context.Principal is null) return;
                    var current = await AccountCheck.Current(context.HttpContext, context.Principal, JwtBearerDefaults.AuthenticationScheme);
                    if (current is null) context.Fail("The account is deactivated.");
                    else context.Principal = current;
                },
            };
        });
        services.AddAuthorization(o => o.AddPolicy(ConsolePolicy, p => p.AddAuthenticationSchemes(ConsoleScheme).RequireAuthenticatedUser()));
        services.AddScoped<LoginThrottle>();
        services.TryAddKeyedSingleton(LoginThrottle.WallClock, TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Loads (or creates once) the token signing key; call after the database is migrated. A configured key wins. Otherwise
    /// the key lives in <c>AppSettings</c> protected by ASP.NET data protection (the key ring every node shares), so a copy of
    /// that row alone signs nothing; a key stored in plain text by an older version is protected in place, unchanged.
    /// </summary>
    public static async Task LoadTokenKeysAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<TokenKeys>();
        var options = scope.ServiceProvider.GetRequiredService<AuthOptions>();
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            keys.Set(Convert.FromBase64String(options.SigningKey));
            return;
        }
        var protector = scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Fieldline.Auth.SigningKey");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.AppSettings.FirstOrDefaultAsync(s => s.Key == SigningKeySetting);
        if (stored is null)
        {
            stored = new AppSetting { Key = SigningKeySetting, Value = Protected + protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(64))) };
            db.AppSettings.Add(stored);
            try { await db.SaveChangesAsync(); }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "AppSettings"))
            {
                // Another node created it first (the key is the primary key): use theirs. Anything else fails the start.
                db.ChangeTracker.Clear();
                stored = await db.AppSettings.FirstAsync(s => s.Key == SigningKeySetting);
            }
        }
        else if (!stored.Value.StartsWith(Protected, StringComparison.Ordinal))
        {
            var plain = stored.Value;
            stored.Value = Protected + protector.Protect(plain);
            await db.SaveChangesAsync(); // a node racing to do the same writes an equivalent value
            keys.Set(Convert.FromBase64String(plain));
            return;
        }
        keys.Set(Convert.FromBase64String(protector.Unprotect(stored.Value[Protected.Length..])));
    }

    public const string SigningKeySetting = "auth.signingKey";
    private const string Protected = "dp:";
}

public sealed class TokenKeys
{
    private SymmetricSecurityKey? _key;
    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("Token keys are not loaded yet.");
    public void Set(byte[] key) => _key = new SymmetricSecurityKey(key);
}

public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, IReadOnlyList<string> Roles);

public sealed class TokenIssuer(TokenKeys keys, AuthOptions options)
{
    public const string Issuer = "fieldline";

    public IssuedToken Issue(User user, Branch branch)
    {
        // Token lifetime is a security matter measured on the real wall clock, not the business clock: moving the
        // sandbox clock two days ahead must not log everybody out, and JWT validation reads the real clock anyway.
        var now = TimeProvider.System.GetUtcNow();
        var expires = now.AddHours(options.TokenHours);
        var claims = CurrentUser.ClaimsOf(user, branch);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expires, user.Roles);
    }
}

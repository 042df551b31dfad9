using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fieldline.Web.Infrastructure.Auth;

public sealed class AuthOptions
{
    /// <summary>Base64 HMAC key shared by all app nodes; when empty, one is generated once and kept in the database.</summary>
    public string? SigningKey { get; set; }
    public int TokenHours { get; set; } = 12;
    public int LoginAttemptsPerMinute { get; set; } = 30;
}

public static class AuthSetup
{
    public const string LoginLimiter = "login";

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
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            r.AddPolicy(LoginLimiter, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }

    /// <summary>Loads (or creates once) the token signing key; call after the database is migrated.</summary>
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
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.AppSettings.FirstOrDefaultAsync(s => s.Key == "auth.signingKey");
        if (stored is null)
        {
            stored = new AppSetting { Key = "auth.signingKey", Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) };
            db.AppSettings.Add(stored);
            try { await db.SaveChangesAsync(); }
            catch (DbUpdateException)
            {
                // Another node created it first: use theirs.
                db.ChangeTracker.Clear();
                stored = await db.AppSettings.FirstAsync(s => s.Key == "auth.signingKey");
            }
        }
        keys.Set(Convert.FromBase64String(stored.Value));
    }
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

using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Infrastructure.Clock;

public sealed record SandboxClockDto(DateTimeOffset Now, string Mode);

public sealed record MoveClockRequest(int? AdvanceMinutes, DateTimeOffset? Now);

/// <summary>Something that acts when time passes (SLA timers, reminders). The sandbox runs them all after moving the clock.</summary>
public interface IDueWork
{
    Task RunDueAsync(CancellationToken ct);
}

public static class SandboxApi
{
    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/sandbox").RequireAuthorization().WithTags("Sandbox");
        g.MapGet("/clock", (TimeProvider clock) => TypedResults.Ok(new SandboxClockDto(clock.GetUtcNow(), clock is ManualClock ? "manual" : "system")));
        g.MapPost("/clock", Move);
        return app;
    }

    private static async Task<Results<Ok<SandboxClockDto>, ProblemHttpResult>> Move(MoveClockRequest request, TimeProvider clock, IEnumerable<IDueWork> timers, CancellationToken ct)
    {
        if (clock is not ManualClock manual)
            return TypedResults.Problem(statusCode: 409, title: "Not in sandbox mode", detail: "The clock moves only when Fieldline:Clock=Manual.");
        var v = new Validator();
        if (request.AdvanceMinutes is null == request.Now is null) v.Add("advanceMinutes", "Send either {0} or {1}.", Msg.Field("now"));
        if (request.AdvanceMinutes is < 0 or > 525_600) v.Add("advanceMinutes", "{0} must be between 0 and 525600 (one year).");
        var target = request.Now?.ToUniversalTime() ?? manual.GetUtcNow().AddMinutes(request.AdvanceMinutes ?? 0);
        if (target < manual.GetUtcNow()) v.Add("now", "The sandbox clock only moves forward.");
        v.ThrowIfInvalid();
        manual.Set(target);
        foreach (var timer in timers) await timer.RunDueAsync(ct);
        return TypedResults.Ok(new SandboxClockDto(manual.GetUtcNow(), "manual"));
    }
}

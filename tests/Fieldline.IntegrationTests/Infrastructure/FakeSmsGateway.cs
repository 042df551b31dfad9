using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>An HTTP SMS gateway on 127.0.0.1 that accepts, refuses (500) or never answers, and keeps what it accepted.</summary>
public sealed class FakeSmsGateway : IAsyncDisposable
{
    public enum Mode { Accept, Fail, Hang }

    private readonly WebApplication _app;
    public Mode Behaviour { get; set; } = Mode.Accept;
    /// <summary>Accepted messages: (Idempotency-Key, body).</summary>
    public ConcurrentQueue<(string Key, string Body)> Accepted { get; } = new();
    public int Calls => _calls;
    private int _calls;

    private FakeSmsGateway(WebApplication app) => _app = app;

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/sms";

    public static async Task<FakeSmsGateway> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var gateway = new FakeSmsGateway(app);
        app.MapPost("/sms", async (HttpContext http) =>
        {
            Interlocked.Increment(ref gateway._calls);
            switch (gateway.Behaviour)
            {
                case Mode.Fail: return Results.StatusCode(500);
                case Mode.Hang: await Task.Delay(Timeout.Infinite, http.RequestAborted); return Results.StatusCode(500);
                default:
                    using (var reader = new StreamReader(http.Request.Body))
                        gateway.Accepted.Enqueue((http.Request.Headers["Idempotency-Key"].ToString(), await reader.ReadToEndAsync()));
                    return Results.Ok();
            }
        });
        await app.StartAsync();
        return gateway;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

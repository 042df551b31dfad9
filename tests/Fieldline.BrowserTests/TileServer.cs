using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fieldline.BrowserTests;

/// <summary>
/// A map tile service on 127.0.0.1 (its own port, so another origin than the app: the CSP's img-src must name it), serving
/// the PNG tiles embedded in this assembly (Tiles/, made by make-tiles.py) for every z/x/y. No network needed.
/// </summary>
public sealed class TileServer : IAsyncDisposable
{
    private static readonly byte[][] Tiles = Enumerable.Range(0, 4).Select(Read).ToArray();
    private readonly WebApplication _app;
    private int _requests;

    private TileServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapGet("/{s}/{z:int}/{x:int}/{y:int}.png", (int z, int x, int y) =>
        {
            Interlocked.Increment(ref _requests);
            return Results.Bytes(Tiles[(x * 31 + y * 17 + z) & 3], "image/png");
        });
        _app.Start();
        Origin = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Origin { get; }

    /// <summary>A Leaflet URL template with a subdomain placeholder, as a real provider's has.</summary>
    public string UrlTemplate => Origin + "/{s}/{z}/{x}/{y}.png";

    public int Requests => Volatile.Read(ref _requests);

    public static TileServer Start() => new();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static byte[] Read(int k)
    {
        using var stream = typeof(TileServer).Assembly.GetManifestResourceStream($"Fieldline.BrowserTests.Tiles.tile-{k}.png")
            ?? throw new InvalidOperationException($"tile-{k}.png is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>
/// The console with maps: tiles from <see cref="TileServer"/> in the GCJ-02 datum (as AutoNavi's are), so every point the
/// pages draw and every pin they save goes through the conversion.
/// </summary>
public sealed class MapApp : ConsoleApp
{
    public TileServer Tiles { get; } = TileServer.Start();

    // PhoneApp's one hook into the host's settings: the clock (the console's sandbox clock) and, here, the map.
    protected override void UseClock(IWebHostBuilder b)
    {
        base.UseClock(b);
        b.UseSetting("Fieldline:Map:TileUrl", Tiles.UrlTemplate);
        b.UseSetting("Fieldline:Map:TileSubdomains", "ab");
        b.UseSetting("Fieldline:Map:TileAttribution", "© 测试底图");
        b.UseSetting("Fieldline:Map:CoordinateSystem", "GCJ02");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Tiles.DisposeAsync();
    }
}

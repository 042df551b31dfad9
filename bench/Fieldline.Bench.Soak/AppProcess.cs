using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Fieldline.Bench.Soak;

/// <summary>
/// The built Fieldline app (src/Fieldline.Web/bin/&lt;configuration&gt;/net10.0/Fieldline.Web.dll, or FIELDLINE_APP_DLL) run
/// as a real process on 127.0.0.1: started, waited for until it answers /health/live, and killed with SIGKILL.
/// </summary>
public sealed class AppProcess(IReadOnlyList<string> settings, int port) : IAsyncDisposable
{
    private Process? _process;
    public int Port { get; } = port;
    public Uri Url => new($"http://127.0.0.1:{Port}");
    /// <summary>Everything the process wrote to stdout and stderr, across restarts.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string AppDll()
    {
        if (Environment.GetEnvironmentVariable("FIELDLINE_APP_DLL") is { Length: > 0 } dll) return dll;
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dir = new DirectoryInfo(here);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("Fieldline.slnx not found above " + here + "; set FIELDLINE_APP_DLL.");
        var path = Path.Combine(dir.FullName, "src", "Fieldline.Web", "bin", configuration, "net10.0", "Fieldline.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Fieldline.Web first (dotnet build -c " + configuration + ").", path);
    }

    public async Task StartAsync(TimeSpan timeout)
    {
        var dll = AppDll();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.WorkingDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(dll)!, "..", "..", "..")); // src/Fieldline.Web: wwwroot, fonts
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add($"--urls=http://127.0.0.1:{Port}");
        foreach (var s in settings) info.ArgumentList.Add(s);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Staging"; // not Production (the sandbox clock is allowed), JSON logs
        info.Environment["DOTNET_gcServer"] = "0";
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n" + string.Join("\n", Output.TakeLast(40)));
            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app did not answer within {timeout}:\n" + string.Join("\n", Output.TakeLast(40)));
    }

    /// <summary>SIGKILL: no shutdown, no flush — as a power cut or the OOM killer would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}

using System.Net;
using System.Net.Sockets;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>
/// Forwards a local port to the test PostgreSQL server; <see cref="Stop"/> cuts every connection and refuses new ones,
/// as a database that went down does, and <see cref="Start"/> brings it back on the same port.
/// </summary>
public sealed class TcpProxy(string targetHost, int targetPort) : IAsyncDisposable
{
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    public int Port { get; private set; }

    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Accept(_listener, _stop.Token);
    }

    public void Stop()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    private async Task Accept(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                var server = new TcpClient();
                try { await server.ConnectAsync(targetHost, targetPort, stop); }
                catch (SocketException) { client.Dispose(); server.Dispose(); continue; }
                lock (_open) { _open.Add(client); _open.Add(server); }
                _ = Pump(client, server, stop);
                _ = Pump(server, client, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken stop)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), stop); }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        finally { from.Dispose(); to.Dispose(); }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}

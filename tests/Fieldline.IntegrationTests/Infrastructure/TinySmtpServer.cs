using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>
/// A tiny in-process SMTP server on a free loopback port, enough for a real SMTP client (MailKit) to deliver to: greeting,
/// EHLO/HELO, MAIL, RCPT, DATA (dot-unstuffed), RSET, NOOP, QUIT. Keeps what it received; never relays.
/// </summary>
public sealed class TinySmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public sealed record Mail(string From, IReadOnlyList<string> To, string Data);

    public ConcurrentQueue<Mail> Received { get; } = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public TinySmtpServer()
    {
        _listener.Start();
        _accepting = Accept();
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost ESMTP tiny");
        string? from = null;
        var to = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var command = line.ToUpperInvariant();
                if (command.StartsWith("EHLO", StringComparison.Ordinal))
                {
                    await writer.WriteLineAsync("250-localhost");
                    await writer.WriteLineAsync("250-8BITMIME");
                    await writer.WriteLineAsync("250 SIZE 52428800");
                }
                else if (command.StartsWith("HELO", StringComparison.Ordinal)) await writer.WriteLineAsync("250 localhost");
                else if (command.StartsWith("MAIL FROM:", StringComparison.Ordinal))
                {
                    from = line[10..].Trim().Split(' ')[0].Trim('<', '>');
                    to.Clear();
                    await writer.WriteLineAsync("250 OK");
                }
                else if (command.StartsWith("RCPT TO:", StringComparison.Ordinal))
                {
                    to.Add(line[8..].Trim().Split(' ')[0].Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                }
                else if (command == "DATA")
                {
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } l && l != ".")
                        data.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                    Received.Enqueue(new Mail(from ?? "", to.ToList(), data.ToString()));
                    await writer.WriteLineAsync("250 OK queued");
                }
                else if (command == "QUIT")
                {
                    await writer.WriteLineAsync("221 bye");
                    return;
                }
                else if (command is "RSET" or "NOOP") await writer.WriteLineAsync("250 OK");
                else await writer.WriteLineAsync("502 Command not implemented");
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}

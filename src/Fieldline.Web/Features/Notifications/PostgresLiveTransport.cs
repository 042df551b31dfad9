using System.Text.Json;
using System.Threading.Channels;
using Npgsql;

namespace Fieldline.Web.Features.Notifications;

/// <summary>
/// Live push across app nodes on one PostgreSQL: every node LISTENs on one channel and every event is sent with
/// pg_notify, so it reaches the pages connected to any node (this one included) within milliseconds. A node that loses
/// its listening connection reconnects by itself and tells its open pages to redraw, since events may have been missed.
/// </summary>
public sealed class PostgresLiveTransport(NpgsqlDataSource source, IServiceProvider services, ILogger<PostgresLiveTransport> log)
    : BackgroundService, ILiveTransport
{
    public const string ChannelName = "fieldline_live";
    // pg_notify refuses payloads of 8000 bytes or more; a longer body is cut (the in-app notification keeps it whole).
    private const int MaxPayload = 7000;

    private readonly Channel<LiveEnvelope> _outgoing = Channel.CreateBounded<LiveEnvelope>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private volatile bool _listening;

    public bool Connected => _listening;

    public void Post(LiveEnvelope envelope) => _outgoing.Writer.TryWrite(envelope);

    public async Task SendAsync(LiveEnvelope envelope, CancellationToken ct)
    {
        await using var connection = await source.OpenConnectionAsync(ct);
        await Notify(connection, envelope, ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(Listen(stoppingToken), Send(stoppingToken));

    private async Task Listen(CancellationToken stop)
    {
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(stop);
                connection.Notification += (_, n) => Receive(n.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection)) await listen.ExecuteNonQueryAsync(stop);
                _listening = true;
                if (lost) Feed.Resync();
                log.LogInformation("Live push: listening on {Channel}", ChannelName);
                while (true) await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                if (_listening) log.LogWarning(e, "Live push: the listening connection was lost; reconnecting");
                _listening = false;
                lost = true;
                try { await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task Send(CancellationToken stop)
    {
        NpgsqlConnection? connection = null;
        try
        {
            await foreach (var envelope in _outgoing.Reader.ReadAllAsync(stop))
            {
                // One retry on a fresh connection; a board update that cannot be sent even then is dropped (best effort).
                for (var attempt = 1; attempt <= 2; attempt++)
                {
                    try
                    {
                        connection ??= await source.OpenConnectionAsync(stop);
                        await Notify(connection, envelope, stop);
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        if (connection is not null) await connection.DisposeAsync();
                        connection = null;
                        if (attempt == 2) log.LogWarning(e, "Live push: a board update could not be sent");
                    }
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private static async Task Notify(NpgsqlConnection connection, LiveEnvelope envelope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        cmd.Parameters.AddWithValue("channel", ChannelName);
        cmd.Parameters.AddWithValue("payload", Payload(envelope));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    internal static string Payload(LiveEnvelope envelope)
    {
        var json = JsonSerializer.Serialize(envelope, JsonSerializerOptions.Web);
        if (System.Text.Encoding.UTF8.GetByteCount(json) <= MaxPayload) return json;
        var e = envelope.Event;
        return JsonSerializer.Serialize(envelope with { Event = e with { Body = e.Body.Length > 200 ? e.Body[..200] + "…" : e.Body } }, JsonSerializerOptions.Web);
    }

    private LiveFeed Feed => services.GetRequiredService<LiveFeed>();

    private void Receive(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<LiveEnvelope>(payload, JsonSerializerOptions.Web) is { } envelope) Feed.Deliver(envelope);
        }
        catch (JsonException e)
        {
            log.LogWarning(e, "Live push: an unreadable event was ignored");
        }
    }
}

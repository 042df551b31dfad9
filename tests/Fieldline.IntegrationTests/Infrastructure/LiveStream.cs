using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>A user's open notification stream (server-sent events), read in the background as a page would.</summary>
public sealed class LiveStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly BlockingCollection<(string Kind, JsonNode Data)> _events = new();
    private readonly Task _reader;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveStream(HttpClient client, string token)
    {
        _reader = Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/notifications/stream");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                string? kind = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith(": connected", StringComparison.Ordinal)) _connected.TrySetResult();
                    else if (line.StartsWith("event: ", StringComparison.Ordinal)) kind = line[7..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && kind is not null) _events.Add((kind, JsonNode.Parse(line[6..])!));
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { _connected.TrySetException(e); }
        });
    }

    public static async Task<LiveStream> Open(HttpClient client, string token)
    {
        var stream = new LiveStream(client, token);
        await stream._connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return stream;
    }

    /// <summary>The next event matching <paramref name="match"/> (others are skipped), or null after <paramref name="within"/>.</summary>
    public (string Kind, JsonNode Data)? Next(Func<string, JsonNode, bool> match, TimeSpan within)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < within)
        {
            if (_events.TryTake(out var e, within - waited.Elapsed) && match(e.Kind, e.Data)) return e;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _reader; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _events.Dispose();
    }
}

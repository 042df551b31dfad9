using Fieldline.Bench.Soak;
using Fieldline.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Fieldline.IntegrationTests.Operations;

/// <summary>
/// The short form of bench/Fieldline.Bench.Soak (the long one: 8 clients, SIGKILL every 15 s, minutes; docs/benchmarks.md):
/// 4 clients walking lifecycles with Idempotency-Key retries for 12 s while the server process is SIGKILLed every 4 s.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private async Task Survives(string provider)
    {
        var result = await Soak.RunAsync(new SoakOptions
        {
            Provider = provider, PostgresServer = provider == "Postgres" ? PostgresFixture.Server : null, Clients = 4,
            Duration = TimeSpan.FromSeconds(12), KillEvery = TimeSpan.FromSeconds(4), GiveUpAfter = TimeSpan.FromSeconds(8),
        });
        output.WriteLine(result.ToString());
        Assert.True(result.Kills >= 1 && result.Acknowledged > 0, result.ToString());
        Assert.True(result.Lost == 0 && result.Doubled == 0, result.ToString());
    }

    [Fact]
    public Task Killing_the_server_with_sigkill_loses_and_doubles_no_acknowledged_write_on_sqlite() => Survives("Sqlite");

    [Fact]
    public Task Killing_the_server_with_sigkill_loses_and_doubles_no_acknowledged_write_on_postgresql() => Survives("Postgres");
}

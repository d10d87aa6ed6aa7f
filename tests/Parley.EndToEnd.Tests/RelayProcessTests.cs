using Parley.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>The relay runs as its own process and comes back on the same port and data after kill -9.</summary>
public sealed class RelayProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Relay_process_answers_health_and_restarts_on_the_same_port_after_kill_9()
    {
        using var data = new TemporaryDirectory("relay");
        await using var relay = await RelayProcess.StartAsync(data.Path);
        output.WriteLine($"relay at {relay.Url}");
        await relay.KillAsync();
        await relay.StartAgainAsync();
        Assert.Contains(relay.AllLogLines, l => l.Contains("Now listening on", StringComparison.Ordinal));
    }
}

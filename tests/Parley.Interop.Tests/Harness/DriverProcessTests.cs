using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.Interop.Tests.Infrastructure;
using Parley.Testing.Interop;

namespace Parley.Interop.Tests.Harness;

/// <summary>The test harness itself: a driver that dies or hangs is reported with its stderr and never hangs a test.</summary>
public sealed class DriverProcessTests : IClassFixture<InteropEnvironment>
{
    private static DriverCommand NodeScript(string script) =>
        new("scripted", Drivers.LibsignalCommand().FileName, ["-e", script], NodeHarness.Directory);

    [Fact]
    public async Task A_driver_that_exits_is_reported_with_its_exit_code_and_stderr()
    {
        await using var driver = DriverProcess.Start(NodeScript("process.stderr.write('boom: no keys\\n'); process.exit(3);"));
        var failure = await Assert.ThrowsAsync<DriverException>(() => driver.RequestAsync(new JsonObject { ["cmd"] = "init", ["name"] = "x" }));
        Assert.Contains("code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("boom: no keys", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_driver_that_never_answers_times_out_and_is_killed_on_dispose()
    {
        var clock = Stopwatch.StartNew();
        var driver = DriverProcess.Start(NodeScript("process.stdin.resume(); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"));
        driver.ExitGrace = TimeSpan.FromSeconds(1);
        var failure = await Assert.ThrowsAsync<DriverException>(() => driver.RequestAsync(new JsonObject { ["cmd"] = "init" }, TimeSpan.FromMilliseconds(500)));
        Assert.Contains("did not answer", failure.Message, StringComparison.Ordinal);
        await driver.DisposeAsync();
        Assert.True(driver.HasExited);
        Assert.NotEqual(0, driver.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "dispose is bounded");
    }

    [Fact]
    public async Task An_answer_with_the_wrong_id_is_a_protocol_error()
    {
        await using var driver = DriverProcess.Start(NodeScript(
            "require('readline').createInterface({input: process.stdin}).on('line', () => console.log(JSON.stringify({ok: true, id: 'other'})));"));
        var failure = await Assert.ThrowsAsync<DriverException>(() => driver.RequestAsync(new JsonObject { ["cmd"] = "bundle" }));
        Assert.Contains("answered id", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_libsignal_driver_exits_cleanly_on_quit()
    {
        await using var driver = Drivers.Start(DriverKind.Libsignal);
        var answer = await driver.RequestAsync(new JsonObject { ["cmd"] = "quit" });
        Assert.True(answer.IsOk());
        await driver.DisposeAsync();
        Assert.Equal(0, driver.ExitCode);
    }
}

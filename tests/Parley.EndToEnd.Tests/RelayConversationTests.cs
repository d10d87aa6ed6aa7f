using Parley.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The relay and every client as separate processes on 127.0.0.1: registration, messages both ways in order
/// (unicode, 64 KiB), a third user, unknown users, wrong passphrases.
/// </summary>
public sealed class RelayConversationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TemporaryDirectory _root = new("conv");
    private RelayProcess _relay = null!;

    public async Task InitializeAsync() => _relay = await RelayProcess.StartAsync(_root.Sub("relay"));

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Two_users_exchange_unicode_and_64_KiB_messages_both_ways_in_order_and_a_third_user_joins()
    {
        var started = DateTime.UtcNow;
        var alice = await UserProfile.CreateAsync(_root.Path, "alice", _relay.Url);
        var bob = await UserProfile.CreateAsync(_root.Path, "bob", _relay.Url);
        output.WriteLine($"two profiles created and registered in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        var big = string.Concat(Enumerable.Range(0, 64 * 1024 / 16).Select(i => $"{i:D5}-big-block|"));
        Assert.Equal(64 * 1024, big.Length);
        string[] toBob = ["héllo bob — ünïcödé ✓ 你好 🔐", big, "third in order"];
        foreach (var text in toBob)
        {
            await alice.SendAsync("bob", text);
        }

        // Stored and not yet delivered: the relay's database files (and their WAL) hold only ciphertext.
        var stored = RelayFileBytes();
        Assert.True(stored.Length > 64 * 1024, $"the relay's files hold the pending envelopes ({stored.Length} bytes)");
        string[] markers = ["-big-block|", "third in order", "héllo bob"];
        var storedHits = markers.Count(m => Contains(stored, System.Text.Encoding.UTF8.GetBytes(m)) || Contains(stored, System.Text.Encoding.Unicode.GetBytes(m)));
        output.WriteLine($"relay files while 3 messages are pending: {stored.Length} bytes, plaintext matches: {storedHits}");
        Assert.Equal(0, storedHits);

        var atBob = await bob.ReceiveAsync(toBob.Length);
        Assert.Equal(toBob, atBob.Select(m => m.Text));
        Assert.All(atBob, m => Assert.Equal("alice", m.From));
        Assert.Equal(atBob.Count, atBob.Select(m => m.Id).Distinct().Count());

        string[] toAlice = ["réponse 1 ✓", "réponse 2 🔁"];
        foreach (var text in toAlice)
        {
            await bob.SendAsync("alice", text);
        }

        Assert.Equal(toAlice, (await alice.ReceiveAsync(toAlice.Length)).Select(m => m.Text));

        var carol = await UserProfile.CreateAsync(_root.Path, "carol", _relay.Url);
        await carol.SendAsync("alice", "carol to alice");
        await carol.SendAsync("bob", "carol to bob");
        await alice.SendAsync("carol", "alice to carol");
        Assert.Equal("carol to alice", Assert.Single(await alice.ReceiveAsync(1)).Text);
        Assert.Equal("carol to bob", Assert.Single(await bob.ReceiveAsync(1)).Text);
        var atCarol = Assert.Single(await carol.ReceiveAsync(1));
        Assert.Equal(("alice", "alice to carol"), (atCarol.From, atCarol.Text));

        // Nothing is left over: a further receive finds no message.
        var empty = await bob.RunAsync(["receive", "--json"]);
        Assert.Equal(0, empty.ExitCode);
        Assert.Empty(empty.Output);
        output.WriteLine($"whole conversation in {(DateTime.UtcNow - started).TotalSeconds:F1} s");

        // The relay's log names devices and sizes; none of the texts above appears in it.
        var log = _relay.AllLogLines;
        var hits = log.Count(l => toBob.Concat(toAlice).Any(t => l.Contains(t[..Math.Min(t.Length, 12)], StringComparison.Ordinal)));
        output.WriteLine($"relay log: {log.Count} lines, plaintext matches: {hits}");
        Assert.Equal(0, hits);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Every file in the relay's data folder (database, WAL, shared memory), read while the relay runs.</summary>
    private byte[] RelayFileBytes()
    {
        using var all = new MemoryStream();
        foreach (var file in Directory.EnumerateFiles(_relay.DataDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task Unknown_user_wrong_passphrase_and_missing_passphrase_are_one_line_errors_with_their_exit_codes()
    {
        var dave = await UserProfile.CreateAsync(_root.Path, "dave", _relay.Url);

        var unknown = await dave.RunAsync(["send", "nobody_here", "hi"]);
        Assert.True(unknown.ExitCode == 6, unknown.ToString());
        Assert.Contains("no such user", Assert.Single(unknown.Error), StringComparison.OrdinalIgnoreCase);

        var wrong = await dave.RunAsync(["show"], extraEnvironment: new Dictionary<string, string?> { ["PARLEY_PASSPHRASE"] = "not it" });
        Assert.True(wrong.ExitCode == 4, wrong.ToString());
        Assert.Contains("wrong passphrase", Assert.Single(wrong.Error), StringComparison.OrdinalIgnoreCase);

        var missing = await dave.RunAsync(["show"], extraEnvironment: new Dictionary<string, string?> { ["PARLEY_PASSPHRASE"] = null });
        Assert.True(missing.ExitCode == 4, missing.ToString());
        Assert.Contains("PARLEY_PASSPHRASE", Assert.Single(missing.Error), StringComparison.Ordinal);

        var taken = await ParleyExecutable.RunAsync(
            ["init", "--server", _relay.Url.ToString(), "--name", "dave"],
            new Dictionary<string, string?> { ["PARLEY_HOME"] = _root.Sub("dave-again"), ["PARLEY_PASSPHRASE"] = "x" });
        Assert.True(taken.ExitCode == 8, taken.ToString());
        Assert.Single(taken.Error);

        var noProfile = await ParleyExecutable.RunAsync(
            ["show"], new Dictionary<string, string?> { ["PARLEY_HOME"] = _root.Sub("nobody"), ["PARLEY_PASSPHRASE"] = "x" });
        Assert.True(noProfile.ExitCode == 3, noProfile.ToString());
        Assert.Contains("parley init", Assert.Single(noProfile.Error), StringComparison.Ordinal);

        var unreachable = await ParleyExecutable.RunAsync(
            ["init", "--server", $"http://127.0.0.1:{Parley.Testing.Loopback.FreePort()}", "--name", "erin"],
            new Dictionary<string, string?> { ["PARLEY_HOME"] = _root.Sub("erin"), ["PARLEY_PASSPHRASE"] = "x" });
        Assert.True(unreachable.ExitCode == 5, unreachable.ToString());
        Assert.Contains("relay unreachable", Assert.Single(unreachable.Error), StringComparison.OrdinalIgnoreCase);
    }
}

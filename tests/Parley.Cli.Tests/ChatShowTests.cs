using Parley.Cli.Chat;
using Parley.Cli.Peer;
using Parley.Cli.Tests.Support;
using Parley.Client;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary>
/// <c>/show</c> in the line and the terminal chat, over a real session (two peer-only profiles joined by
/// <see cref="PeerLink"/>s on loopback): both public identity keys and the safety number both sides compute.
/// </summary>
public sealed class ChatShowTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-chat-show-" + Guid.NewGuid().ToString("N"));
    private ParleyClient _alice = null!;
    private ParleyClient _bob = null!;
    private PeerLink _aliceLink = null!;
    private PeerLink _bobLink = null!;

    public async Task InitializeAsync()
    {
        _alice = await ParleyClient.CreateProfileAsync(new ProfileOptions { Directory = Path.Combine(_directory, "alice"), Passphrase = "pw", Username = "alice" });
        _bob = await ParleyClient.CreateProfileAsync(new ProfileOptions { Directory = Path.Combine(_directory, "bob"), Passphrase = "pw", Username = "bob" });
        _aliceLink = new PeerLink(new ClientPeerCrypto(_alice));
        _bobLink = new PeerLink(new ClientPeerCrypto(_bob));
        await _aliceLink.ListenAsync(new Uri($"http://127.0.0.1:{Loopback.FreePort()}"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _bobLink.DisposeAsync();
        await _aliceLink.DisposeAsync();
        await _bob.DisposeAsync();
        await _alice.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Line_chat_show_prints_both_identity_keys_and_the_shared_safety_number_then_verified_after_verify()
    {
        await _bobLink.ConnectAsync(_aliceLink.ListeningAddresses[0], CancellationToken.None);
        var ui = new TestConsoleUi("/show\n/verify\n/show\n");
        Assert.Equal(ExitCodes.Success, await new LineChat(ui, _bobLink, json: false).RunAsync(CancellationToken.None));

        var number = (await _bob.Contacts.GetSafetyNumberAsync("alice")).Digits;
        Assert.Equal((await _alice.Contacts.GetSafetyNumberAsync("bob")).Digits, number);
        var grouped = string.Join(' ', number.Chunk(5).Select(c => new string(c)));
        var lines = Lines(ui.ErrorOutput);
        var show = lines.IndexOf($"Your identity key (bob): {Hex(_bob)}");
        Assert.True(show >= 0, ui.ErrorOutput);
        Assert.Equal(
            [$"alice's identity key: {Hex(_alice)}", $"Safety number: {grouped}", "Not verified: compare this number with alice, then run verify."],
            lines[(show + 1)..(show + 4)]);
        Assert.Contains($"alice is verified (safety number {grouped}).", lines);
        var again = lines.LastIndexOf($"Your identity key (bob): {Hex(_bob)}");
        Assert.True(again > show);
        Assert.Equal("Verified.", lines[again + 3]);
        Assert.Equal("", ui.Output);
    }

    [Fact]
    public async Task Line_chat_show_before_any_peer_shows_only_our_own_key()
    {
        var ui = new TestConsoleUi("/show\n");
        Assert.Equal(ExitCodes.Success, await new LineChat(ui, _aliceLink, json: false).RunAsync(CancellationToken.None));
        var lines = Lines(ui.ErrorOutput);
        var show = lines.IndexOf($"Your identity key (alice): {Hex(_alice)}");
        Assert.True(show >= 0, ui.ErrorOutput);
        Assert.Equal("(no peer yet): no identity key known yet", lines[show + 1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("Safety number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Terminal_chat_show_prints_above_the_input_line_and_keeps_the_prompt()
    {
        await _bobLink.ConnectAsync(_aliceLink.ListeningAddresses[0], CancellationToken.None);
        var ui = new TestConsoleUi(terminal: true);
        var run = new TerminalChat(ui, _bobLink).RunAsync(CancellationToken.None);
        ui.Type("/show\r");
        var grouped = string.Join(' ', (await _bob.Contacts.GetSafetyNumberAsync("alice")).Digits.Chunk(5).Select(c => new string(c)));
        await Eventually.TrueAsync(() => ui.Output.Contains("Not verified:", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the /show lines");
        var output = ui.Output;
        Assert.Contains($"Your identity key (bob): {Hex(_bob)}", output, StringComparison.Ordinal);
        Assert.Contains($"alice's identity key: {Hex(_alice)}", output, StringComparison.Ordinal);
        Assert.Contains($"Safety number: {grouped}", output, StringComparison.Ordinal);
        Assert.Contains("> ", output[output.LastIndexOf("Not verified:", StringComparison.Ordinal)..], StringComparison.Ordinal);

        ui.Type("/quit\r");
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static string Hex(ParleyClient client) => Convert.ToHexStringLower(client.GetOwnIdentity().IdentityKey);

    private static List<string> Lines(string text) => [.. text.ReplaceLineEndings("\n").Split('\n')];
}

using System.Net;
using System.Net.Http;
using System.Text;
using Parley.Cli.Chat;
using Parley.Cli.Peer;
using Parley.Client;
using Parley.Testing;
using ConnectionChanged = Parley.Cli.Chat.ConnectionChanged;

namespace Parley.Cli.Tests;

/// <summary>
/// What the peer link tells its user when the peer's identity key changed, or a message cannot be decrypted:
/// real peer-only profiles, real <see cref="PeerLink"/>s on loopback Kestrel.
/// </summary>
public sealed class PeerIdentityNoticeTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-peer-notice-" + Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _owned = [];
    private ParleyClient _alice = null!;
    private PeerLink _aliceLink = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _alice = await NewProfileAsync("alice");
        _aliceLink = Own(new PeerLink(new ClientPeerCrypto(_alice)));
        _url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        await _aliceLink.ListenAsync(_url, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        // Links before the profiles they use.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_verified_peer_with_a_new_key_is_refused_and_announced_and_then_verified_from_the_chat()
    {
        var bob = await NewProfileAsync("bob");
        await using (var bobLink = new PeerLink(new ClientPeerCrypto(bob)))
        {
            await bobLink.ConnectAsync(_url, CancellationToken.None);
        }

        await _alice.Contacts.MarkVerifiedAsync("bob");
        var newBob = await NewProfileAsync("bob");
        var newBobLink = Own(new PeerLink(new ClientPeerCrypto(newBob)));
        var refused = await Assert.ThrowsAsync<CliException>(() => newBobLink.ConnectAsync(_url, CancellationToken.None));
        Assert.Equal(ExitCodes.Rejected, refused.ExitCode);

        var change = await NextAsync<Chat.IdentityChanged>(_aliceLink);
        Assert.Equal("bob", change.Name);
        Assert.True(change.WasVerified);
        Assert.Contains("Sending is blocked", ChatText.IdentityNotice(change), StringComparison.Ordinal);

        // The number announced is the one for the new key, which new bob sees too (he already took alice's bundle).
        Assert.Equal((await newBob.Contacts.GetSafetyNumberAsync("alice")).Digits, change.SafetyNumber);
        var shown = await _aliceLink.ShowAsync(CancellationToken.None);
        Assert.Equal("bob", shown.PeerName);
        Assert.Equal(Convert.ToHexStringLower(newBob.GetOwnIdentity().IdentityKey), shown.PeerIdentityKey);
        Assert.False(shown.Verified);

        // After comparing, /verify in alice's chat accepts the new key and bob may connect.
        Assert.True((await _aliceLink.VerifyAsync(CancellationToken.None)).Verified);
        await using var again = new PeerLink(new ClientPeerCrypto(newBob));
        await again.ConnectAsync(_url, CancellationToken.None);
        Assert.Equal("bob connected again", (await NextAsync<ConnectionChanged>(_aliceLink)).Detail);
    }

    [Fact]
    public async Task An_unverified_peer_with_a_new_key_is_accepted_and_announced_once()
    {
        var bob = await NewProfileAsync("bob");
        await using (var bobLink = new PeerLink(new ClientPeerCrypto(bob)))
        {
            await bobLink.ConnectAsync(_url, CancellationToken.None);
        }

        var newBob = await NewProfileAsync("bob");
        var newBobLink = Own(new PeerLink(new ClientPeerCrypto(newBob)));
        await newBobLink.ConnectAsync(_url, CancellationToken.None);
        var change = await NextAsync<Chat.IdentityChanged>(_aliceLink);
        Assert.False(change.WasVerified);
        Assert.Equal((await _alice.Contacts.GetSafetyNumberAsync("bob")).Digits, change.SafetyNumber);

        // The same key again is not news: up to new bob's next message, alice hears of no identity change.
        await using var again = new PeerLink(new ClientPeerCrypto(newBob));
        await again.ConnectAsync(_url, CancellationToken.None);
        await again.SendAsync("same key as before", CancellationToken.None);
        var between = await UntilAsync(_aliceLink, e => e is MessageArrived { Text: "same key as before" });
        Assert.DoesNotContain(between, e => e is Chat.IdentityChanged);
        Assert.Contains(between, e => e is ConnectionChanged { Detail: "bob connected again" });
    }

    [Fact]
    public async Task A_message_from_the_peer_that_cannot_be_decrypted_is_reported_to_the_user()
    {
        var bob = await NewProfileAsync("bob");
        var bobLink = Own(new PeerLink(new ClientPeerCrypto(bob)));
        await bobLink.ConnectAsync(_url, CancellationToken.None);
        using var http = new HttpClient();
        using var body = new StringContent("{\"from\":\"bob\",\"seq\":7,\"type\":2,\"body_b64\":\"" + Convert.ToBase64String(new byte[64]) + "\"}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(_url, "/message"), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notice = await NextAsync<ChatNotice>(_aliceLink);
        Assert.StartsWith("a message from bob could not be decrypted", notice.Text, StringComparison.Ordinal);
    }

    private async Task<ParleyClient> NewProfileAsync(string name)
    {
        var client = await ParleyClient.CreateProfileAsync(new ProfileOptions { Directory = Path.Combine(_directory, name + "-" + Guid.NewGuid().ToString("N")[..8]), Passphrase = "pw", Username = name });
        return Own(client);
    }

    private T Own<T>(T owned)
        where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    /// <summary>The events up to and including the first that matches <paramref name="last"/>, within 10 s.</summary>
    private static async Task<List<ChatEvent>> UntilAsync(PeerLink link, Func<ChatEvent, bool> last)
    {
        var seen = new List<ChatEvent>();
        await NextAsync<ChatEvent>(link, e =>
        {
            seen.Add(e);
            return last(e);
        });
        return seen;
    }

    /// <summary>The next event of type <typeparamref name="T"/> (matching <paramref name="match"/>), within 10 s.</summary>
    private static async Task<T> NextAsync<T>(PeerLink link, Func<T, bool>? match = null)
        where T : ChatEvent
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var update in link.ReadEventsAsync(timeout.Token))
            {
                if (update is T wanted && (match is null || match(wanted)))
                {
                    return wanted;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"no {typeof(T).Name} from the peer link within 10 s");
    }
}

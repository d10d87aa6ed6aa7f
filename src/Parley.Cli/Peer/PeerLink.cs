using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Cli.Chat;
using Parley.Cli.Console;

namespace Parley.Cli.Peer;

/// <summary>
/// Direct two-peer mode over HTTP, without a relay. A peer may listen (Kestrel: <c>GET /bundle</c>,
/// <c>POST /hello</c>, <c>POST /message</c>, <c>GET /inbox</c>, <c>GET /show</c>) and may connect to a
/// listener. Connecting exchanges bundles both ways (each side checks the other's signatures and sets up a
/// session), then the connector POSTs its messages and long-polls <c>/inbox</c> for the listener's; a poll's
/// <c>after</c> acknowledges what it already decrypted. Only Signal ciphertext and public keys cross the wire.
/// </summary>
internal sealed class PeerLink : IChatSession, IAsyncDisposable
{
    /// <summary>How long one <c>/inbox</c> long-poll waits for a message.</summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(20);

    private readonly IPeerCrypto _crypto;
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<Outgoing> _outbound = [];
    private readonly List<(string Id, JsonObject Envelope)> _unposted = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http = new() { Timeout = PollWait + TimeSpan.FromSeconds(15) };
    private TaskCompletionSource _outboundChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _host;
    private Task? _pollLoop;
    private Uri? _remote;
    private string? _peerName;
    private long _nextSequence;

    public PeerLink(IPeerCrypto crypto)
    {
        _crypto = crypto;
    }

    public string OwnName => _crypto.OwnName;

    public string PeerName
    {
        get
        {
            lock (_gate)
            {
                return _peerName ?? "(no peer yet)";
            }
        }
    }

    /// <summary>Where the listener listens, once started.</summary>
    public IReadOnlyList<Uri> ListeningAddresses { get; private set; } = [];

    /// <summary>Starts the HTTP endpoint on <paramref name="url"/>.</summary>
    public async Task ListenAsync(Uri url, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url.GetLeftPart(UriPartial.Authority));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = PeerWire.MaxBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        });
        var app = builder.Build();
        app.MapGet("/bundle", BundleAsync);
        app.MapPost("/hello", HelloAsync);
        app.MapPost("/message", MessageAsync);
        app.MapGet("/inbox", InboxAsync);
        app.MapGet("/show", ShowPageAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new CliException(ExitCodes.Failure, $"cannot listen on {url}: {e.Message}; pick another port", e);
        }

        _host = app;
        ListeningAddresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];
    }

    /// <summary>Connects to a listening peer: fetches and checks its bundle, sends ours, starts polling for its messages.</summary>
    public async Task ConnectAsync(Uri remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        JsonNode? bundleBody;
        try
        {
            bundleBody = PeerWire.Parse(await _http.GetByteArrayAsync(new Uri(remote, "/bundle"), cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"peer unreachable at {remote} ({e.Message}); is `parley peer --listen {remote}` running there?", e);
        }

        var (peerName, bundle) = Read(() => PeerWire.ReadBundle(bundleBody), remote);
        if (string.Equals(peerName, OwnName, StringComparison.Ordinal))
        {
            throw new CliException(ExitCodes.Rejected, $"the peer at {remote} has our own name '{peerName}'; each side needs its own profile and name");
        }

        var change = await _crypto.AcceptBundleAsync(peerName, bundle, cancellationToken).ConfigureAwait(false);
        var hello = PeerWire.Bundle(OwnName, await _crypto.CreateBundleAsync(cancellationToken).ConfigureAwait(false));
        using (var response = await PostAsync(new Uri(remote, "/hello"), hello, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                throw new CliException(ExitCodes.Rejected, $"the peer at {remote} is already talking to someone else");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ExitCodes.Rejected, $"the peer at {remote} refused our bundle ({(int)response.StatusCode}: {await ReasonAsync(response).ConfigureAwait(false)})");
            }
        }

        lock (_gate)
        {
            _peerName = peerName;
            _remote = remote;
        }

        Publish(new ConnectionChanged(true, $"connected to {peerName} at {remote}"));
        if (change is not null)
        {
            Publish(change);
        }

        _pollLoop = Task.Run(() => PollAsync(remote, peerName, _stopping.Token), CancellationToken.None);
    }

    public async Task<SentMessage> SendAsync(string text, CancellationToken cancellationToken)
    {
        string peer;
        Uri? remote;
        lock (_gate)
        {
            peer = _peerName ?? throw new CliException(ExitCodes.NotFound, "no peer has connected yet; wait for the other side to run `parley peer --connect URL`");
            remote = _remote;
        }

        var (id, ciphertext) = await _crypto.EncryptAsync(peer, text, cancellationToken).ConfigureAwait(false);
        var sentAt = DateTimeOffset.Now;
        long sequence;
        lock (_gate)
        {
            sequence = ++_nextSequence;
        }

        var envelope = PeerWire.Envelope(OwnName, sequence, ciphertext);
        if (remote is not null)
        {
            return new SentMessage(id, await PostMessageAsync(remote, id, envelope, cancellationToken).ConfigureAwait(false), sentAt);
        }

        // Listener: the connector picks the message up with its next poll; report "sent" once it has.
        var outgoing = new Outgoing(id, sequence, envelope);
        lock (_gate)
        {
            _outbound.Add(outgoing);
            SignalOutbound();
        }

        var picked = await Task.WhenAny(outgoing.PickedUp.Task, Task.Delay(TimeSpan.FromSeconds(3), cancellationToken)).ConfigureAwait(false);
        if (picked == outgoing.PickedUp.Task)
        {
            return new SentMessage(id, DeliveryState.Sent, sentAt);
        }

        outgoing.ReportLater = true;
        return new SentMessage(id, DeliveryState.Queued, sentAt);
    }

    public IAsyncEnumerable<ChatEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    public Task<IdentitySummary> ShowAsync(CancellationToken cancellationToken) => _crypto.ShowAsync(CurrentPeer(), cancellationToken);

    public Task<IdentitySummary> VerifyAsync(CancellationToken cancellationToken)
    {
        var peer = CurrentPeer() ?? throw new CliException(ExitCodes.NotFound, "no peer has connected yet; nothing to verify");
        return _crypto.VerifyAsync(peer, cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_outbound.Count == 0 && _unposted.Count == 0)
                {
                    return;
                }

                changed = _outboundChanged.Task;
            }

            await changed.WaitAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await RetryUnpostedAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_pollLoop is not null)
        {
            await _pollLoop.ConfigureAwait(false);
        }

        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _host.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
        _stopping.Dispose();
        _events.Writer.TryComplete();
    }

    private string? CurrentPeer()
    {
        lock (_gate)
        {
            return _peerName;
        }
    }

    private void Publish(ChatEvent update) => _events.Writer.TryWrite(update);

    private void SignalOutbound()
    {
        var changed = _outboundChanged;
        _outboundChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private async Task<DeliveryState> PostMessageAsync(Uri remote, string id, JsonObject envelope, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync(new Uri(remote, "/message"), envelope, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return DeliveryState.Sent;
            }

            if ((int)response.StatusCode is >= 400 and < 500)
            {
                throw new CliException(ExitCodes.Rejected, $"the peer refused the message ({(int)response.StatusCode}: {await ReasonAsync(response).ConfigureAwait(false)})");
            }
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        // Unreachable for now: keep the ciphertext and post it when the peer answers again.
        lock (_gate)
        {
            _unposted.Add((id, envelope));
        }

        return DeliveryState.Queued;
    }

    private async Task RetryUnpostedAsync(CancellationToken cancellationToken)
    {
        Uri? remote;
        List<(string Id, JsonObject Envelope)> waiting;
        lock (_gate)
        {
            remote = _remote;
            waiting = [.. _unposted];
        }

        if (remote is null)
        {
            return;
        }

        foreach (var (id, envelope) in waiting)
        {
            try
            {
                using var response = await PostAsync(new Uri(remote, "/message"), envelope, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode && (int)response.StatusCode >= 500)
                {
                    return;
                }

                var state = response.IsSuccessStatusCode ? DeliveryState.Sent : DeliveryState.Failed;
                lock (_gate)
                {
                    _unposted.RemoveAll(u => u.Id == id);
                    SignalOutbound();
                }

                Publish(new DeliveryUpdated(id, state, state == DeliveryState.Failed ? $"refused by the peer ({(int)response.StatusCode})" : null));
            }
            catch (HttpRequestException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(Uri remote, string peerName, CancellationToken cancellationToken)
    {
        long acknowledged = 0;
        var connected = true;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RetryUnpostedAsync(cancellationToken).ConfigureAwait(false);
                var uri = new Uri(remote, $"/inbox?name={Uri.EscapeDataString(OwnName)}&after={acknowledged}&wait={(int)PollWait.TotalSeconds}");
                var body = await _http.GetByteArrayAsync(uri, cancellationToken).ConfigureAwait(false);
                if (!connected)
                {
                    connected = true;
                    Publish(new ConnectionChanged(true, $"reconnected to {peerName}"));
                }

                backoff = TimeSpan.FromMilliseconds(250);
                foreach (var (from, sequence, ciphertext) in PeerWire.ReadInbox(PeerWire.Parse(body)))
                {
                    if (sequence <= acknowledged || !string.Equals(from, peerName, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    try
                    {
                        await DeliverAsync(peerName, ciphertext, cancellationToken).ConfigureAwait(false);
                    }
                    catch (CliException e)
                    {
                        // An undecryptable message is reported and acknowledged, so it cannot block the ones after it.
                        Publish(new ChatNotice($"a message from {peerName} could not be decrypted: {e.Message}"));
                    }

                    acknowledged = sequence;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or PeerProtocolException)
            {
                if (connected)
                {
                    connected = false;
                    Publish(new ConnectionChanged(false, $"{peerName} unreachable ({e.Message}); retrying"));
                }

                try
                {
                    await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task DeliverAsync(string peerName, PeerCiphertext ciphertext, CancellationToken cancellationToken)
    {
        foreach (var shown in await _crypto.DecryptAsync(peerName, ciphertext, cancellationToken).ConfigureAwait(false))
        {
            Publish(shown);
        }
    }

    private async Task<IResult> BundleAsync(CancellationToken cancellationToken)
    {
        var bundle = await _crypto.CreateBundleAsync(cancellationToken).ConfigureAwait(false);
        return Json(PeerWire.Bundle(OwnName, bundle));
    }

    private async Task<IResult> HelloAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string name;
        byte[] bundle;
        try
        {
            (name, bundle) = PeerWire.ReadBundle(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (PeerProtocolException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }

        lock (_gate)
        {
            if (_peerName is not null && !string.Equals(_peerName, name, StringComparison.Ordinal))
            {
                return Problem(StatusCodes.Status409Conflict, "this peer is already talking to someone else");
            }
        }

        if (string.Equals(name, OwnName, StringComparison.Ordinal))
        {
            return Problem(StatusCodes.Status409Conflict, "that is our own name");
        }

        IdentityChanged? change;
        try
        {
            change = await _crypto.AcceptBundleAsync(name, bundle, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            if (e.ExitCode == ExitCodes.IdentityChanged)
            {
                // A verified peer came back with another key: refused, and our user must hear why. The new key is
                // stored; this peer becomes the one /show and /verify refer to, so the user can compare and verify.
                lock (_gate)
                {
                    _peerName = name;
                }

                var summary = await _crypto.ShowAsync(name, cancellationToken).ConfigureAwait(false);
                Publish(new IdentityChanged(name, summary.SafetyNumber ?? "", WasVerified: true));
            }

            return Problem(StatusCodes.Status422UnprocessableEntity, e.Message);
        }

        bool first;
        lock (_gate)
        {
            first = _peerName is null;
            _peerName = name;
        }

        Publish(new ConnectionChanged(true, first ? $"{name} connected" : $"{name} connected again"));
        if (change is not null)
        {
            Publish(change);
        }

        return Json(new JsonObject { ["name"] = OwnName });
    }

    private async Task<IResult> MessageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string from;
        PeerCiphertext ciphertext;
        try
        {
            (from, _, ciphertext) = PeerWire.ReadEnvelope(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (PeerProtocolException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }

        if (!string.Equals(from, CurrentPeer(), StringComparison.Ordinal))
        {
            return Problem(StatusCodes.Status403Forbidden, "say hello first");
        }

        try
        {
            await DeliverAsync(from, ciphertext, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, e.Message);
        }

        return Json(new JsonObject { ["ok"] = true });
    }

    private async Task<IResult> InboxAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        if (!string.Equals(query["name"], CurrentPeer(), StringComparison.Ordinal))
        {
            return Problem(StatusCodes.Status403Forbidden, "say hello first");
        }

        if (!long.TryParse(query["after"], out var after) || after < 0 || !int.TryParse(query["wait"], out var wait) || wait is < 0 or > 60)
        {
            return Problem(StatusCodes.Status400BadRequest, "after must be a non-negative integer and wait 0–60 seconds");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(wait);
        while (true)
        {
            Task changed;
            List<JsonObject> ready;
            lock (_gate)
            {
                // 'after' acknowledges everything up to it: those messages reached the peer.
                foreach (var done in _outbound.Where(o => o.Sequence <= after).ToList())
                {
                    _outbound.Remove(done);
                    done.PickedUp.TrySetResult();
                    if (done.ReportLater)
                    {
                        Publish(new DeliveryUpdated(done.Id, DeliveryState.Sent));
                    }

                    SignalOutbound();
                }

                ready = [.. _outbound.Select(o => o.Envelope)];
                changed = _outboundChanged.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (ready.Count > 0 || left <= TimeSpan.Zero)
            {
                return Json(PeerWire.Inbox(ready));
            }

            try
            {
                await changed.WaitAsync(left, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return Json(PeerWire.Inbox([]));
            }
        }
    }

    private async Task<IResult> ShowPageAsync(CancellationToken cancellationToken)
    {
        var summary = await _crypto.ShowAsync(CurrentPeer(), cancellationToken).ConfigureAwait(false);
        return Results.Content(ShowPage.Render(summary), "text/html; charset=utf-8");
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return PeerWire.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private async Task<HttpResponseMessage> PostAsync(Uri uri, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return text.Length > 200 ? text[..200] : text;
    }

    private static T Read<T>(Func<T> read, Uri remote)
    {
        try
        {
            return read();
        }
        catch (PeerProtocolException e)
        {
            throw new CliException(ExitCodes.Rejected, $"the peer at {remote} sent a bad bundle: {e.Message}", e);
        }
    }

    private static IResult Json(JsonObject body) => Results.Content(JsonLine.Format(body), "application/json");

    private static IResult Problem(int status, string detail) =>
        Results.Content(JsonLine.Format(new JsonObject { ["status"] = status, ["detail"] = detail }), "application/problem+json", Encoding.UTF8, status);

    private sealed class Outgoing(string id, long sequence, JsonObject envelope)
    {
        public string Id { get; } = id;

        public long Sequence { get; } = sequence;

        public JsonObject Envelope { get; } = envelope;

        public TaskCompletionSource PickedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool ReportLater { get; set; }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;
using Parley.Server.Postgres.Tests.History;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>
/// A device that talks the relay's real HTTP/WebSocket API with sequence-numbered opaque messages and records
/// what it sees. It behaves as a careful client must: it retries a send with the same message id until a relay
/// acknowledges it (spreading requests over the nodes as a load balancer would), reconnects its stream with
/// backoff, moves the stream to the other node when one fails, persists an
/// envelope id before acknowledging it, and drops envelopes it has persisted already (its dedup). Its persisted
/// set stands for its disk: it survives the client's simulated crashes.
/// </summary>
internal sealed class SimulatedClient
{
    // Shorter than every injected outage (E4 pauses 5–8 s), so a request stuck on a frozen node is retried on the
    // other one within the outage, and long enough for a commit on a loaded 2-core machine.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private readonly HttpClient http;
    private readonly IReadOnlyList<RelayNode> nodes;
    private readonly HistoryRecorder history;
    private readonly HashSet<Guid> persisted = [];
    private readonly Lock gate = new();
    private readonly Channel<Guid> httpAcks = Channel.CreateUnbounded<Guid>();
    private long nextSeq;
    private int streamNode;
    private int sendNode;
    private int moves;
    private int streamSessions;
    private int crashes;

    private SimulatedClient(HttpClient http, IReadOnlyList<RelayNode> nodes, HistoryRecorder history, int index, string username, string authorization, bool acknowledgesOverHttp)
    {
        this.http = http;
        this.nodes = nodes;
        this.history = history;
        Index = index;
        Username = username;
        Authorization = authorization;
        AcknowledgesOverHttp = acknowledgesOverHttp;
        streamNode = index % nodes.Count;
        sendNode = (index + 1) % nodes.Count;
    }

    public int Index { get; }

    public string Username { get; }

    public string Authorization { get; }

    /// <summary>Acknowledge with <c>POST /v1/messages/ack</c> (batched) instead of over the stream.</summary>
    public bool AcknowledgesOverHttp { get; }

    /// <summary>Simulated client crashes (TESTPLAN E5): where, and how often.</summary>
    public ClientCrashPlan? Crashes { get; init; }

    public int Moves => Volatile.Read(ref moves);

    public int StreamSessions => Volatile.Read(ref streamSessions);

    public int CrashCount => Volatile.Read(ref crashes);

    /// <summary>The node the stream is (or will next be) connected to.</summary>
    public RelayNode StreamNode => nodes[Volatile.Read(ref streamNode) % nodes.Count];

    /// <summary>Envelope ids this client has persisted (and shown).</summary>
    public int PersistedCount
    {
        get
        {
            lock (gate)
            {
                return persisted.Count;
            }
        }
    }

    public static async Task<SimulatedClient> RegisterAsync(
        HttpClient http, IReadOnlyList<RelayNode> nodes, HistoryRecorder history, int index, string username, bool acknowledgesOverHttp = false, ClientCrashPlan? crashes = null)
    {
        var node = nodes[index % nodes.Count];
        using var response = await http.PostAsJsonAsync(new Uri(node.Url, ApiPaths.Accounts), FakeKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering {username} on {node.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var registered = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse)
            ?? throw new InvalidOperationException("Empty registration answer.");
        return new SimulatedClient(http, nodes, history, index, registered.Username, registered.AuthorizationHeaderValue(), acknowledgesOverHttp) { Crashes = crashes };
    }

    /// <summary>Sends sequence-numbered messages to random peers until <paramref name="stop"/>; each is retried until acknowledged or <paramref name="abandon"/>.</summary>
    public async Task SendLoopAsync(IReadOnlyList<SimulatedClient> peers, CancellationToken stop, CancellationToken abandon)
    {
        while (!stop.IsCancellationRequested)
        {
            var recipient = peers[Random.Shared.Next(peers.Count)];
            if (recipient == this)
            {
                continue;
            }

            await SendAsync(recipient, abandon);
        }
    }

    /// <summary>Sends one new message to <paramref name="recipient"/>, retrying until a relay acknowledges it; returns its envelope id (or null when abandoned).</summary>
    public async Task<Guid?> SendAsync(SimulatedClient recipient, CancellationToken abandon)
    {
        var seq = Interlocked.Increment(ref nextSeq);
        var messageId = Guid.NewGuid();
        var body = new SendMessageRequest(
            messageId,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            [new OutgoingEnvelope(1, EnvelopeType.Whisper, MessageContent.Encode(Index, recipient.Index, seq))]);
        history.Add(at => HistoryEvent.Invoked(at, Index, recipient.Index, seq, messageId));
        var backoff = TimeSpan.FromMilliseconds(20);
        while (!abandon.IsCancellationRequested)
        {
            // Like a load balancer: each request goes to the next node, so a restarted node gets traffic at once.
            var node = NextSendNode();
            var envelopeId = await TrySendAsync(node, recipient.Username, body, abandon);
            if (envelopeId is { } id)
            {
                history.Add(at => HistoryEvent.Acked(at, Index, seq, id, node.Name));
                return id;
            }

            // Same message id on every retry: the relay stores it once however many attempts reached it.
            history.Add(at => HistoryEvent.Failed(at, Index, seq, node.Name));
            backoff = await PauseAsync(backoff, abandon);
        }

        return null;
    }

    /// <summary>Keeps a stream open (reconnecting, moving between nodes) and takes in envelopes until <paramref name="stop"/>.</summary>
    public async Task ReceiveLoopAsync(CancellationToken stop)
    {
        var acks = AcknowledgesOverHttp ? AcknowledgeOverHttpLoopAsync(stop) : Task.CompletedTask;
        var backoff = TimeSpan.FromMilliseconds(20);
        while (!stop.IsCancellationRequested)
        {
            var node = StreamNode;
            var healthy = await StreamOnceAsync(node, stop);
            if (stop.IsCancellationRequested)
            {
                break;
            }

            if (healthy)
            {
                backoff = TimeSpan.FromMilliseconds(20);
                continue;
            }

            // The node failed us: try the other one (a client "moves"), with backoff.
            Interlocked.Increment(ref streamNode);
            Interlocked.Increment(ref moves);
            backoff = await PauseAsync(backoff, stop);
        }

        await acks;
    }

    /// <summary>The next node in rotation, round robin; every node when the health check has none in rotation.</summary>
    private RelayNode NextSendNode()
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[(int)((uint)Interlocked.Increment(ref sendNode) % (uint)nodes.Count)];
            if (node.InRotation)
            {
                return node;
            }
        }

        return nodes[(int)((uint)Interlocked.Increment(ref sendNode) % (uint)nodes.Count)];
    }

    /// <summary>One stream session; true when it ended by a simulated crash (reconnect at once), false when the node failed.</summary>
    private async Task<bool> StreamOnceAsync(RelayNode node, CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", Authorization);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(1);
        socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(3);
        var uri = new UriBuilder(node.Url) { Scheme = "ws", Path = ApiPaths.Stream }.Uri;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                connect.CancelAfter(TimeSpan.FromSeconds(3));
                await socket.ConnectAsync(uri, connect.Token);
            }

            Interlocked.Increment(ref streamSessions);
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                var frame = await ReceiveFrameAsync(socket, buffer, stop);
                if (frame is null)
                {
                    return false;
                }

                if (frame is not EnvelopeFrame { Envelope: var envelope })
                {
                    continue;
                }

                if (!await TakeAsync(socket, envelope, node.Name, stop))
                {
                    // Simulated crash: the process died holding this connection. Whatever was not persisted is gone.
                    socket.Abort();
                    Interlocked.Increment(ref crashes);
                    return true;
                }
            }

            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or HttpRequestException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Records, persists, shows and acknowledges one envelope; false when a simulated crash interrupted it.</summary>
    private async Task<bool> TakeAsync(ClientWebSocket socket, Envelope envelope, string node, CancellationToken stop)
    {
        if (!MessageContent.TryDecode(envelope.Content, out var sender, out _, out var seq))
        {
            history.Add(at => HistoryEvent.Garbage(at, Index, envelope.Id, node));
            await AcknowledgeAsync(socket, envelope.Id, stop);
            return true;
        }

        history.Add(at => HistoryEvent.Delivered(at, Index, sender, seq, envelope.Id, node));
        if (Crashes?.ShouldCrash(ClientCrashPoint.AfterReceiveBeforePersist) == true)
        {
            return false;
        }

        bool isNew;
        lock (gate)
        {
            // Persisting the id and showing the message are one step (one transaction in a real client).
            isNew = persisted.Add(envelope.Id);
            if (isNew)
            {
                history.Add(at => HistoryEvent.Shown(at, Index, sender, seq, envelope.Id));
            }
        }

        if (Crashes?.ShouldCrash(ClientCrashPoint.AfterPersistBeforeAck) == true)
        {
            return false;
        }

        await AcknowledgeAsync(socket, envelope.Id, stop);
        return true;
    }

    private async Task AcknowledgeAsync(ClientWebSocket socket, Guid id, CancellationToken stop)
    {
        if (AcknowledgesOverHttp)
        {
            await httpAcks.Writer.WriteAsync(id, stop);
            return;
        }

        var frame = JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame([id]), ParleyJsonContext.Default.ClientFrame);
        await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, stop);
        history.Add(at => HistoryEvent.ClientAcked(at, Index, id));
    }

    /// <summary>Acknowledges persisted envelopes in batches over HTTP, retrying (on any node) until each batch is taken.</summary>
    private async Task AcknowledgeOverHttpLoopAsync(CancellationToken stop)
    {
        var batch = new List<Guid>();
        try
        {
            while (await httpAcks.Reader.WaitToReadAsync(stop))
            {
                while (batch.Count < 200 && httpAcks.Reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                var backoff = TimeSpan.FromMilliseconds(20);
                while (!await TryAcknowledgeOverHttpAsync(NextSendNode(), batch, stop))
                {
                    backoff = await PauseAsync(backoff, stop);
                }

                foreach (var id in batch)
                {
                    history.Add(at => HistoryEvent.ClientAcked(at, Index, id));
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Done; unacknowledged envelopes stay in the mailbox and are redelivered next time.
        }
    }

    private async Task<bool> TryAcknowledgeOverHttpAsync(RelayNode node, List<Guid> ids, CancellationToken stop)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stop);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.Url, ApiPaths.Acknowledge))
            {
                Content = JsonContent.Create(new AcknowledgeRequest(ids), ParleyJsonContext.Default.AcknowledgeRequest),
            };
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
            using var response = await http.SendAsync(request, attempt.Token);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private async Task<Guid?> TrySendAsync(RelayNode node, string recipient, SendMessageRequest body, CancellationToken abandon)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(abandon);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.Url, ApiPaths.Send(recipient)))
            {
                Content = JsonContent.Create(body, ParleyJsonContext.Default.SendMessageRequest),
            };
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
            using var response = await http.SendAsync(request, attempt.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var answer = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse, attempt.Token);
                return answer?.Envelopes.Single().EnvelopeId;
            }

            if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
            {
                // A relay that refuses a valid send is a bug the test must see, not a fault to ride out.
                throw new InvalidOperationException(
                    $"{node.Name} refused a send from {Username} to {recipient}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
            }

            return null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or JsonException)
        {
            return null;
        }
    }

    private static async Task<ServerFrame?> ReceiveFrameAsync(ClientWebSocket socket, byte[] buffer, CancellationToken stop)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                throw new WebSocketException("Frame larger than the test client's buffer.");
            }

            var result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize(buffer.AsSpan(0, length), ParleyJsonContext.Default.ServerFrame);
            }
        }
    }

    private static async Task<TimeSpan> PauseAsync(TimeSpan backoff, CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, (int)backoff.TotalMilliseconds + 1)), stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        return TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
    }
}

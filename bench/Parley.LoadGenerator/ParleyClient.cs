using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;
using Parley.Testing.Relay;

namespace Parley.LoadGenerator;

/// <summary>A registered account on <c>parley server</c> (a "username authorization" line of an accounts file).</summary>
internal sealed record ParleyAccount(string Username, string Authorization)
{
    public static async Task<ParleyAccount> RegisterAsync(HttpClient http, Uri node, string username)
    {
        using var response = await http.PostAsJsonAsync(new Uri(node, ApiPaths.Accounts), FakeKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering {username} at {node} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var registered = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse)
            ?? throw new InvalidOperationException("Empty registration answer.");
        return new ParleyAccount(registered.Username, registered.AuthorizationHeaderValue());
    }

    public override string ToString() => $"{Username} {Authorization}";

    public static ParleyAccount Parse(string line) =>
        line.Split(' ', 2) is [var username, var authorization] ? new ParleyAccount(username, authorization) : throw new FormatException($"Not an account line: {line}");
}

/// <summary>
/// A device on <c>parley server</c>: sends with an authenticated <c>PUT /v1/messages/{user}</c> (the relay takes
/// no sends on the stream), receives JSON envelope frames on <c>/v1/stream</c> and acknowledges each on the
/// socket at once.
/// </summary>
internal sealed class ParleyClient(int index, Recorder recorder, InFlight inFlight, HttpClient http, Uri node, ParleyAccount account)
    : LoadClient(index, recorder, inFlight)
{
    private bool drained;

    public override string Name => account.Username;

    public override async Task ConnectAsync(CancellationToken stop)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", account.Authorization);

        // The relay pings every 30 s; pings from this side too would only add traffic the measurement does not need.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new UriBuilder(node) { Scheme = node.Scheme == "https" ? "wss" : "ws", Path = ApiPaths.Stream }.Uri, stop);

        // Connected means the mailbox is drained and the relay pushes from here on.
        while (!drained && await ReceiveAsync(socket, frame => Handle(socket, frame), stop))
        {
        }

        Receiving = ReceiveLoopAsync(socket, () => ReceiveAsync(socket, frame => Handle(socket, frame), stop));
    }

    protected override async Task<bool> SendAsync(LoadClient peer, byte[] content, CancellationToken stop)
    {
        var body = new SendMessageRequest(Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), [new OutgoingEnvelope(1, EnvelopeType.Whisper, content)]);
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node, ApiPaths.Send(peer.Name)))
        {
            Content = JsonContent.Create(body, ParleyJsonContext.Default.SendMessageRequest),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(account.Authorization);
        using var response = await http.SendAsync(request, stop);
        return response.StatusCode == HttpStatusCode.OK;
    }

    private ValueTask Handle(ClientWebSocket socket, ReadOnlyMemory<byte> message)
    {
        switch (JsonSerializer.Deserialize(message.Span, ParleyJsonContext.Default.ServerFrame))
        {
            case EnvelopeFrame { Envelope: var envelope }:
                Arrived(envelope.Content);
                var ack = JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame([envelope.Id]), ParleyJsonContext.Default.ClientFrame);
                return socket.SendAsync(ack.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            case DrainedFrame:
                drained = true;
                break;
        }

        return ValueTask.CompletedTask;
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;
using Parley.Testing.Relay;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>A registered device for step-by-step cluster tests: send through any node, stream from any node.</summary>
internal sealed class ClusterDevice
{
    private readonly HttpClient http;

    private ClusterDevice(HttpClient http, string username, string authorization)
    {
        this.http = http;
        Username = username;
        Authorization = authorization;
    }

    public string Username { get; }

    public string Authorization { get; }

    public static async Task<ClusterDevice> RegisterAsync(HttpClient http, RelayNode node, string username, int oneTimePreKeys = 0)
    {
        using var response = await http.PostAsJsonAsync(new Uri(node.Url, ApiPaths.Accounts), FakeKeys.Registration(username, oneTimePreKeys), ParleyJsonContext.Default.RegisterAccountRequest);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var registered = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse);
        return new ClusterDevice(http, registered!.Username, registered.AuthorizationHeaderValue());
    }

    /// <summary>Sends <paramref name="content"/> to <paramref name="to"/>'s device 1 through <paramref name="via"/>; returns the envelope id.</summary>
    public async Task<Guid> SendAsync(RelayNode via, ClusterDevice to, byte[] content)
    {
        using var response = await RequestAsync(
            HttpMethod.Put,
            via,
            ApiPaths.Send(to.Username),
            JsonContent.Create(new SendMessageRequest(Guid.NewGuid(), 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, content)]), ParleyJsonContext.Default.SendMessageRequest));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse);
        return answer!.Envelopes.Single().EnvelopeId;
    }

    public async Task<HttpResponseMessage> RequestAsync(HttpMethod method, RelayNode via, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(via.Url, path)) { Content = content };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
        return await http.SendAsync(request);
    }

    public async Task<ClusterStream> StreamAsync(RelayNode node)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", Authorization);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new UriBuilder(node.Url) { Scheme = "ws", Path = ApiPaths.Stream }.Uri, timeout.Token);
        return new ClusterStream(socket);
    }
}

/// <summary>One <c>/v1/stream</c> connection.</summary>
internal sealed class ClusterStream(ClientWebSocket socket) : IAsyncDisposable
{
    private readonly byte[] buffer = new byte[256 * 1024];

    /// <summary>The next frame within <paramref name="within"/>; null when the relay closed the stream.</summary>
    public async Task<ServerFrame?> ReceiveAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
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

    public async Task<Envelope> ReceiveEnvelopeAsync(TimeSpan within) =>
        Assert.IsType<EnvelopeFrame>(await ReceiveAsync(within)).Envelope;

    /// <summary>Envelopes up to the drained marker.</summary>
    public async Task<List<Envelope>> ReceiveUntilDrainedAsync(TimeSpan within)
    {
        var envelopes = new List<Envelope>();
        while (await ReceiveAsync(within) is { } frame)
        {
            if (frame is DrainedFrame)
            {
                return envelopes;
            }

            envelopes.Add(Assert.IsType<EnvelopeFrame>(frame).Envelope);
        }

        throw new InvalidOperationException("The stream closed before it was drained.");
    }

    public Task AcknowledgeAsync(params Guid[] ids) =>
        socket.SendAsync(
            JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame(ids), ParleyJsonContext.Default.ClientFrame),
            WebSocketMessageType.Text,
            endOfMessage: true,
            CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The node already went away.
            }
        }

        socket.Dispose();
    }
}

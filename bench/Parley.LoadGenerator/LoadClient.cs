using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Contracts;
using Parley.Contracts.Messages;
using Parley.Contracts.Realtime;
using Parley.Testing.Relay;

namespace Parley.LoadGenerator;

/// <summary>
/// One simulated device: registered on one node, streaming from it, sending through it. Content is opaque to the
/// relay; its first bytes carry the send time (this process's monotonic clock) so the receiver can measure the
/// end-to-end latency, send call to stream frame.
/// </summary>
internal sealed class LoadClient
{
    /// <summary>Magic (4) + send timestamp (8).</summary>
    public const int HeaderBytes = 12;

    private const uint Magic = 0x4C4F_4144; // "LOAD"

    private readonly HttpClient http;
    private readonly Uri node;
    private readonly Recorder recorder;

    private LoadClient(HttpClient http, Uri node, Recorder recorder, string username, string authorization)
    {
        this.http = http;
        this.node = node;
        this.recorder = recorder;
        Username = username;
        Authorization = authorization;
    }

    public string Username { get; }

    public string Authorization { get; }

    public static async Task<LoadClient> RegisterAsync(HttpClient http, Uri node, Recorder recorder, string username)
    {
        using var response = await http.PostAsJsonAsync(new Uri(node, ApiPaths.Accounts), FakeKeys.Registration(username), ParleyJsonContext.Default.RegisterAccountRequest);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Registering {username} at {node} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var registered = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse)
            ?? throw new InvalidOperationException("Empty registration answer.");
        return new LoadClient(http, node, recorder, registered.Username, registered.AuthorizationHeaderValue());
    }

    /// <summary>Opens the stream; returns once the relay said the mailbox is drained, then keeps receiving and acknowledging.</summary>
    public async Task<Task> StartStreamAsync(CancellationToken stop)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", Authorization);
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
        await socket.ConnectAsync(new UriBuilder(node) { Scheme = node.Scheme == "https" ? "wss" : "ws", Path = ApiPaths.Stream }.Uri, stop);
        var buffer = new byte[256 * 1024];
        while (await ReceiveAsync(socket, buffer, stop) is { } frame and not DrainedFrame)
        {
        }

        return Task.Run(() => ReceiveLoopAsync(socket, buffer, stop), CancellationToken.None);
    }

    /// <summary>Sends to random peers until <paramref name="stop"/>, paced to one send per <paramref name="interval"/> when given.</summary>
    public async Task SendLoopAsync(IReadOnlyList<LoadClient> peers, int size, TimeSpan? interval, CancellationToken stop)
    {
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            if (interval is { } every)
            {
                next += (long)(every.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }

            LoadClient peer;
            do
            {
                peer = peers[Random.Shared.Next(peers.Count)];
            }
            while (peer == this);

            await SendOnceAsync(peer, size, stop);
        }
    }

    private async Task SendOnceAsync(LoadClient peer, int size, CancellationToken stop)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        BinaryPrimitives.WriteUInt32BigEndian(content, Magic);
        BinaryPrimitives.WriteInt64BigEndian(content.AsSpan(4), Stopwatch.GetTimestamp());
        var body = new SendMessageRequest(Guid.NewGuid(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), [new OutgoingEnvelope(1, EnvelopeType.Whisper, content)]);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node, ApiPaths.Send(peer.Username)))
            {
                Content = JsonContent.Create(body, ParleyJsonContext.Default.SendMessageRequest),
            };
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(Authorization);
            using var response = await http.SendAsync(request, stop);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                recorder.Sent();
            }
            else
            {
                recorder.Failed();
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            if (!stop.IsCancellationRequested)
            {
                recorder.Failed();
            }
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, byte[] buffer, CancellationToken stop)
    {
        using (socket)
        {
            try
            {
                while (await ReceiveAsync(socket, buffer, stop) is { } frame)
                {
                    if (frame is not EnvelopeFrame { Envelope: var envelope })
                    {
                        continue;
                    }

                    var received = Stopwatch.GetTimestamp();
                    if (envelope.Content.Length >= HeaderBytes && BinaryPrimitives.ReadUInt32BigEndian(envelope.Content) == Magic)
                    {
                        recorder.Delivered(BinaryPrimitives.ReadInt64BigEndian(envelope.Content.AsSpan(4)), received);
                    }

                    var ack = JsonSerializer.SerializeToUtf8Bytes<ClientFrame>(new AckFrame([envelope.Id]), ParleyJsonContext.Default.ClientFrame);
                    await socket.SendAsync(ack, WebSocketMessageType.Text, endOfMessage: true, stop);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Stopping, or the relay went away: the run's counts show it.
            }
        }
    }

    private static async Task<ServerFrame?> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken stop)
    {
        var length = 0;
        while (true)
        {
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

            if (length == buffer.Length)
            {
                throw new WebSocketException("Frame larger than the load generator's buffer.");
            }
        }
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Parley.LoadGenerator;

/// <summary>
/// A connection to <c>parley-bare-relay</c> (bench/Parley.BareRelay): binary frames
/// <c>[name length][recipient name][content]</c>, sent over this client's own WebSocket or as the body of
/// <c>PUT /send</c>; the relay forwards the frame unchanged. No authentication, no acknowledgement.
/// </summary>
internal sealed class BareClient(int index, Recorder recorder, InFlight inFlight, HttpClient http, Uri node, string name, bool overWebSocket)
    : LoadClient(index, recorder, inFlight), IDisposable
{
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private ClientWebSocket? socket;

    public override string Name => name;

    public override async Task ConnectAsync(CancellationToken stop)
    {
        var connecting = new ClientWebSocket();
        connecting.Options.KeepAliveInterval = TimeSpan.Zero; // as for the real relay: only the relay pings
        await connecting.ConnectAsync(new UriBuilder(node) { Scheme = "ws", Path = "/ws/" + name }.Uri, stop);
        socket = connecting;
        Receiving = ReceiveLoopAsync(connecting, () => ReceiveAsync(connecting, Handle, stop));
    }

    protected override async Task<bool> SendAsync(LoadClient peer, byte[] content, CancellationToken stop)
    {
        var frame = new byte[1 + peer.Name.Length + content.Length];
        frame[0] = checked((byte)peer.Name.Length);
        Encoding.ASCII.GetBytes(peer.Name, frame.AsSpan(1));
        content.CopyTo(frame.AsSpan(1 + peer.Name.Length));
        if (!overWebSocket)
        {
            using var body = new ByteArrayContent(frame);
            using var response = await http.PutAsync(new Uri(node, "/send"), body, stop);
            return response.StatusCode == HttpStatusCode.OK;
        }

        // One send at a time per WebSocket, like the relay's own sends.
        await sendLock.WaitAsync(stop);
        try
        {
            await socket!.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, stop);
            return true;
        }
        finally
        {
            sendLock.Release();
        }
    }

    private ValueTask Handle(ReadOnlyMemory<byte> frame)
    {
        var span = frame.Span;
        if (span.Length > 0 && span.Length >= 1 + span[0])
        {
            Arrived(span[(1 + span[0])..]);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => sendLock.Dispose();
}

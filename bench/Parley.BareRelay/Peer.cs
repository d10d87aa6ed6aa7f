using System.Net.WebSockets;

namespace Parley.BareRelay;

/// <summary>A connected WebSocket; sends are serialised because a WebSocket allows one send at a time.</summary>
internal sealed class Peer(WebSocket socket) : IDisposable
{
    private readonly SemaphoreSlim sendLock = new(1, 1);

    public WebSocket Socket { get; } = socket;

    public async Task SendAsync(ReadOnlyMemory<byte> frame)
    {
        await sendLock.WaitAsync();
        try
        {
            await Socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            sendLock.Release();
        }
    }

    public void Dispose()
    {
        sendLock.Dispose();
        Socket.Dispose();
    }
}

using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests.Support;

/// <summary>
/// A WebSocket client written against RFC 6455 directly over TCP, so tests can send frames no well-behaved
/// client library would: lying lengths, bad opcodes, unmasked frames, broken fragmentation.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    private readonly TcpClient tcp;
    private readonly NetworkStream stream;

    private RawWebSocket(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
    }

    /// <summary>Connects and completes the upgrade; throws unless the relay answers 101.</summary>
    public static async Task<RawWebSocket> ConnectAsync(Uri baseAddress, string authorization)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var socket = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {ApiPaths.Stream} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: {authorization}\r\n\r\n";
        await socket.stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = await socket.ReadHeadAsync();
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Upgrade refused: " + head.Split('\r')[0]);
        }

        return socket;
    }

    /// <summary>Writes one frame. <paramref name="claimedLength"/> may lie about the payload's length.</summary>
    public async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, bool fin = true, bool masked = true, long? claimedLength = null)
    {
        var length = claimedLength ?? payload.Length;
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (length < 126)
        {
            header.Add((byte)(maskBit | (int)length));
        }
        else if (length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.AddRange([(byte)((length >> 8) & 0xFF), (byte)(length & 0xFF)]);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var extended = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(extended, length);
            header.AddRange(extended);
        }

        var body = payload.ToArray();
        if (masked)
        {
            var mask = RandomNumberGenerator.GetBytes(4);
            header.AddRange(mask);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= mask[i % 4];
            }
        }

        await stream.WriteAsync(header.ToArray());
        await stream.WriteAsync(body);
    }

    /// <summary>Like <see cref="SendFrameAsync"/>, but a relay that already hung up is not an error.</summary>
    public async Task TrySendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, bool fin = true, bool masked = true, long? claimedLength = null)
    {
        try
        {
            await SendFrameAsync(opcode, payload, fin, masked, claimedLength);
        }
        catch (IOException)
        {
            // The relay closed while we were still writing.
        }
    }

    /// <summary>Reads frames until a close frame; returns its status code, or null if the connection just ended.</summary>
    public async Task<int?> ReadCloseCodeAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                var head = await ReadExactlyAsync(2, timeout.Token);
                var opcode = head[0] & 0x0F;
                long length = head[1] & 0x7F;
                if (length == 126)
                {
                    length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, timeout.Token));
                }
                else if (length == 127)
                {
                    length = BinaryPrimitives.ReadInt64BigEndian(await ReadExactlyAsync(8, timeout.Token));
                }

                var payload = await ReadExactlyAsync(checked((int)length), timeout.Token);
                if (opcode == Close)
                {
                    return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    private async Task<string> ReadHeadAsync()
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 16 * 1024)
        {
            await stream.ReadExactlyAsync(one);
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return Encoding.ASCII.GetString([.. head]);
            }
        }

        throw new InvalidOperationException("Response head too long.");
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Parley.LoadGenerator;

/// <summary>
/// One simulated device: the measurement half (pacing, send slots, latency on arrival) that is the same for
/// every relay, over a transport half (<see cref="ParleyClient"/>, <see cref="BareClient"/>) that connects,
/// sends and unwraps frames.
/// </summary>
internal abstract class LoadClient(int index, Recorder recorder, InFlight inFlight)
{
    private const int LargestFrame = 1024 * 1024;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(10);

    public int Index { get; } = index;

    /// <summary>The name other clients address this one by.</summary>
    public abstract string Name { get; }

    /// <summary>The receive loop, once <see cref="ConnectAsync"/> returned.</summary>
    public Task Receiving { get; protected set; } = Task.CompletedTask;

    /// <summary>Opens the stream; returns once the relay is ready to push to it, with <see cref="Receiving"/> running.</summary>
    public abstract Task ConnectAsync(CancellationToken stop);

    /// <summary>Sends <paramref name="content"/> to <paramref name="peer"/>; true when the relay took it.</summary>
    protected abstract Task<bool> SendAsync(LoadClient peer, byte[] content, CancellationToken stop);

    /// <summary>
    /// One send slot: sends to random peers until <paramref name="stop"/>, paced to one send per
    /// <paramref name="interval"/> when given; with <paramref name="untilDelivered"/> each send also waits for
    /// its message to reach the recipient.
    /// </summary>
    public async Task SendLoopAsync(IReadOnlyList<LoadClient> peers, int slot, int size, TimeSpan? interval, bool untilDelivered, CancellationToken stop)
    {
        // Paced slots start at a random phase of their interval: started in step, 1,000 slots would send in bursts
        // of 1,000 at once, and the latency would measure the burst rather than the rate.
        var next = Stopwatch.GetTimestamp();
        if (interval is { } period)
        {
            next += (long)(Random.Shared.NextDouble() * period.TotalSeconds * Stopwatch.Frequency);
        }

        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            try
            {
                if (interval is { } every)
                {
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, stop);
                    }

                    next += (long)(every.TotalSeconds * Stopwatch.Frequency);
                }

                LoadClient peer;
                do
                {
                    peer = peers[Random.Shared.Next(peers.Count)];
                }
                while (peer == this);

                // Expect before sending: the frame may reach the recipient before the send call returns.
                var arrival = untilDelivered ? inFlight.Expect(slot, sequence) : Task.CompletedTask;
                if (!await SendAsync(peer, Payload.Create(size, slot, sequence), stop))
                {
                    recorder.Failed();
                    continue;
                }

                recorder.Sent();
                await arrival.WaitAsync(DeliveryTimeout, stop);
            }
            catch (TimeoutException)
            {
                recorder.Lost();
            }
            catch (Exception e) when (e is HttpRequestException or WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                if (!stop.IsCancellationRequested)
                {
                    recorder.Failed();
                }
            }
        }
    }

    /// <summary>Called by the transport for each envelope content that arrives.</summary>
    protected void Arrived(ReadOnlySpan<byte> content)
    {
        var received = Stopwatch.GetTimestamp();
        if (Payload.TryRead(content, out var sentAt, out var slot, out var sequence))
        {
            recorder.Delivered(sentAt, received);
            inFlight.Arrived(slot, sequence);
        }
    }

    /// <summary>
    /// Receives one whole message and hands it to <paramref name="handle"/>; false once the peer closed. Waits
    /// with a zero-byte read and rents a buffer only when data arrives, so that 10,000 idle clients cost this
    /// process little.
    /// </summary>
    protected static async Task<bool> ReceiveAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, ValueTask> handle, CancellationToken stop)
    {
        var peek = await socket.ReceiveAsync(Memory<byte>.Empty, stop);
        if (peek.MessageType == WebSocketMessageType.Close)
        {
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            for (var result = peek; !result.EndOfMessage; length += result.Count)
            {
                if (length == buffer.Length)
                {
                    if (length >= LargestFrame)
                    {
                        throw new WebSocketException("A frame larger than the load generator takes.");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }
            }

            await handle(buffer.AsMemory(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Runs <paramref name="receiveOne"/> until the peer closes or <paramref name="stop"/>, then disposes the socket.</summary>
    protected static Task ReceiveLoopAsync(WebSocket socket, Func<Task<bool>> receiveOne) =>
        Task.Run(async () =>
        {
            using (socket)
            {
                try
                {
                    while (await receiveOne())
                    {
                    }
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
                {
                    // Stopping, or the relay went away: the run's counts show it.
                }
            }
        });
}

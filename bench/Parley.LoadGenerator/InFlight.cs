namespace Parley.LoadGenerator;

/// <summary>
/// One waiter per send slot (client × concurrency): with <c>--until delivered</c> a slot sends its next message
/// only once the previous one reached its recipient, so K slots per client are exactly K messages in flight,
/// whatever the relay answers to the send itself (the bare relay over a WebSocket answers nothing).
/// </summary>
internal sealed class InFlight(int slots)
{
    private readonly Waiter[] waiters = [.. Enumerable.Range(0, slots).Select(_ => new Waiter())];

    /// <summary>Call before sending: the task completes when <paramref name="sequence"/> of that slot arrives.</summary>
    public Task Expect(int slot, int sequence)
    {
        var waiter = waiters[slot];
        lock (waiter)
        {
            waiter.Sequence = sequence;
            waiter.Arrival = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiter.Arrival.Task;
        }
    }

    public void Arrived(int slot, int sequence)
    {
        if ((uint)slot >= (uint)waiters.Length)
        {
            return;
        }

        var waiter = waiters[slot];
        TaskCompletionSource? arrival;
        lock (waiter)
        {
            // A late copy of an earlier message (after a timeout) must not free the slot's current wait.
            if (waiter.Sequence != sequence)
            {
                return;
            }

            arrival = waiter.Arrival;
            waiter.Arrival = null;
        }

        arrival?.TrySetResult();
    }

    private sealed class Waiter
    {
        public int Sequence;
        public TaskCompletionSource? Arrival;
    }
}

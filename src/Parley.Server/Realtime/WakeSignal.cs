namespace Parley.Server.Realtime;

/// <summary>
/// A stream's "you may have mail" flag: wake-ups between two waits count as one, and one waiter takes it.
/// Lighter than a bounded channel (one pending task per stream instead of a channel with its queues and
/// operation objects), which counts at 10,000 idle streams.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Lock gate = new();
    private bool pending;
    private TaskCompletionSource? waiter;

    /// <summary>Wakes the waiter, or else the next wait. Quick, never throws: safe as a notifier callback.</summary>
    public void Set()
    {
        TaskCompletionSource? woken;
        lock (gate)
        {
            woken = waiter;
            waiter = null;
            pending = woken is null;
        }

        woken?.TrySetResult();
    }

    /// <summary>
    /// Completes at the next wake-up, at once if one came since the last wait. One waiter at a time; a wait
    /// given up (a timeout) is the same task the next wait returns, so nothing piles up.
    /// </summary>
    public Task WaitAsync()
    {
        lock (gate)
        {
            if (pending)
            {
                pending = false;
                return Task.CompletedTask;
            }

            return (waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }
}

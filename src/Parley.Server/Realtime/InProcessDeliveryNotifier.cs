using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Parley.Server.Realtime;

/// <summary>Wake-ups within one relay process: the single-node (SQLite) default.</summary>
internal sealed class InProcessDeliveryNotifier : IDeliveryNotifier
{
    private readonly ConcurrentDictionary<DeviceAddress, ImmutableArray<Action>> subscribers = new();

    public ValueTask NotifyAsync(DeviceAddress device, CancellationToken cancellationToken)
    {
        if (subscribers.TryGetValue(device, out var wakes))
        {
            foreach (var wake in wakes)
            {
                wake();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Wakes every subscription on this node, so that each stream re-reads its mailbox: what a notifier that
    /// lost its channel to other nodes calls once it is back (wake-ups sent meanwhile are gone).
    /// </summary>
    /// <returns>How many subscriptions were woken.</returns>
    public int WakeAll()
    {
        var woken = 0;
        foreach (var (_, wakes) in subscribers)
        {
            foreach (var wake in wakes)
            {
                wake();
                woken++;
            }
        }

        return woken;
    }

    public IDisposable Subscribe(DeviceAddress device, Action wake)
    {
        subscribers.AddOrUpdate(device, static (_, w) => [w], static (_, list, w) => list.Add(w), wake);
        return new Subscription(this, device, wake);
    }

    private void Unsubscribe(DeviceAddress device, Action wake)
    {
        while (subscribers.TryGetValue(device, out var list))
        {
            var remaining = list.Remove(wake);
            var done = remaining.IsEmpty
                ? subscribers.TryRemove(new KeyValuePair<DeviceAddress, ImmutableArray<Action>>(device, list))
                : subscribers.TryUpdate(device, remaining, list);
            if (done)
            {
                return;
            }
        }
    }

    private sealed class Subscription(InProcessDeliveryNotifier owner, DeviceAddress device, Action wake) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Unsubscribe(device, wake);
            }
        }
    }
}

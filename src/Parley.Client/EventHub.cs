using System.Threading.Channels;

namespace Parley.Client;

/// <summary>
/// Fans out events produced outside a receive loop (background outbox flushes, identity changes found while
/// sending) to every running <see cref="ParleyClient.ReceiveAsync"/>. Bounded: a stalled reader loses the oldest.
/// </summary>
internal sealed class EventHub
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ClientEvent>> _subscribers = [];

    public void Publish(ClientEvent clientEvent)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(clientEvent);
            }
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<ClientEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        return new Subscription(this, channel);
    }

    internal sealed class Subscription(EventHub hub, Channel<ClientEvent> channel) : IDisposable
    {
        public ChannelReader<ClientEvent> Reader => channel.Reader;

        public void Dispose()
        {
            lock (hub._gate)
            {
                hub._subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Parley.Cli.Chat;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary>A chat with one contact through the relay, over the SDK's send, live receive and contacts.</summary>
internal sealed class RelayChatSession : IChatSession
{
    private readonly ParleyClient _client;

    // Messages that SendAsync reported as queued: only their later "sent" is news (the others were reported at once).
    private readonly ConcurrentDictionary<Guid, bool> _queued = new();

    public RelayChatSession(ParleyClient client, string peer)
    {
        _client = client;
        PeerName = peer;
    }

    public string OwnName => _client.Username;

    public string PeerName { get; }

    public async Task<SentMessage> SendAsync(string text, CancellationToken cancellationToken)
    {
        var sent = await _client.SendTextAsync(PeerName, text, cancellationToken).ConfigureAwait(false);
        if (sent.State == Client.DeliveryState.Queued)
        {
            _queued[sent.MessageId] = true;
        }

        return new SentMessage(sent.MessageId.ToString(), ToChat(sent.State), DateTimeOffset.Now);
    }

    public async IAsyncEnumerable<ChatEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in _client.ReceiveAsync(cancellationToken).ConfigureAwait(false))
        {
            ChatEvent? shown = update switch
            {
                IncomingMessage message => ToChat(message),
                DeliveryUpdate delivery when delivery.State == Client.DeliveryState.Failed
                    || (delivery.State == Client.DeliveryState.Sent && _queued.TryRemove(delivery.MessageId, out _)) =>
                    new DeliveryUpdated(delivery.MessageId.ToString(), ToChat(delivery.State), delivery.Error?.ToString()),
                Client.IdentityChanged change => ToChat(change),
                Client.ConnectionChanged { State: ConnectionState.Disconnected } lost =>
                    new Chat.ConnectionChanged(false, $"relay connection lost ({lost.Reason}); retrying in {lost.RetryIn?.TotalSeconds:F0} s; messages you send are queued"),
                Client.ConnectionChanged { State: ConnectionState.Synced } => new Chat.ConnectionChanged(true, $"online at {_client.RelayUrl}"),
                UndecryptableMessage bad => ToChat(bad),
                _ => null,
            };
            if (shown is not null)
            {
                yield return shown;
            }
        }
    }

    public Task<IdentitySummary> ShowAsync(CancellationToken cancellationToken) =>
        IdentityFacts.SummarizeAsync(_client, PeerName, cancellationToken);

    public async Task<IdentitySummary> VerifyAsync(CancellationToken cancellationToken)
    {
        await _client.Contacts.MarkVerifiedAsync(PeerName, cancellationToken).ConfigureAwait(false);
        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var result = await _client.FlushOutboxAsync(cancellationToken).ConfigureAwait(false);
            if (result.Remaining == 0)
            {
                return;
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    public static MessageArrived ToChat(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageArrived(message.From, message.Text, message.Id.ToString(), message.SentAt);
    }

    public static Chat.IdentityChanged ToChat(Client.IdentityChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new Chat.IdentityChanged(change.Contact, change.SafetyNumber.Digits, change.WasVerified);
    }

    public static ChatNotice ToChat(UndecryptableMessage bad)
    {
        ArgumentNullException.ThrowIfNull(bad);
        return new ChatNotice($"a message from {bad.From} could not be decrypted: {bad.Reason}");
    }

    private static Chat.DeliveryState ToChat(Client.DeliveryState state) => state switch
    {
        Client.DeliveryState.Sent => Chat.DeliveryState.Sent,
        Client.DeliveryState.Queued => Chat.DeliveryState.Queued,
        _ => Chat.DeliveryState.Failed,
    };
}

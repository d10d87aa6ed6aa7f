namespace Parley.Client.Tests.Support;

/// <summary>Helpers to receive in tests.</summary>
internal static class Conversation
{
    /// <summary>Fetches until <paramref name="count"/> messages arrived in total (bounded).</summary>
    public static async Task<List<IncomingMessage>> ReceiveAsync(ParleyClient client, int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        var messages = new List<IncomingMessage>();
        while (messages.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{client.Username} received {messages.Count} of {count} messages.");
            }

            messages.AddRange((await client.FetchPendingAsync(TimeSpan.FromSeconds(2))).OfType<IncomingMessage>());
        }

        return messages;
    }

    public static async Task<IReadOnlyList<ClientEvent>> FetchAllAsync(ParleyClient client) => await client.FetchPendingAsync(TimeSpan.Zero);
}

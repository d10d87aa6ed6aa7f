using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Parley.Cli.Chat;

namespace Parley.Cli.Tests.Support;

/// <summary>A conversation the test drives: it records what the chat sends and delivers the events the test pushes.</summary>
internal sealed class ScriptedChatSession : IChatSession
{
    private readonly Channel<ChatEvent> _events = Channel.CreateUnbounded<ChatEvent>();

    public string OwnName => "alice";

    public string PeerName => "bob";

    public List<string> Sent { get; } = [];

    public bool Verified { get; private set; }

    public int Flushes { get; private set; }

    public DeliveryState NextState { get; set; } = DeliveryState.Sent;

    public void Push(ChatEvent update) => _events.Writer.TryWrite(update);

    public Task<SentMessage> SendAsync(string text, CancellationToken cancellationToken)
    {
        Sent.Add(text);
        return Task.FromResult(new SentMessage($"m{Sent.Count}", NextState, DateTimeOffset.Now));
    }

    public async IAsyncEnumerable<ChatEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    public Task<IdentitySummary> ShowAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new IdentitySummary("alice", "05aa", "bob", "05bb", new string('1', 60), Verified));

    public async Task<IdentitySummary> VerifyAsync(CancellationToken cancellationToken)
    {
        Verified = true;
        return await ShowAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return Task.CompletedTask;
    }
}

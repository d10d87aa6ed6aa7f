using Parley.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Scenarios;

/// <summary>Tampered and replayed messages are refused, change no state, and the genuine message still decrypts.</summary>
public sealed class RejectionScenarioTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Bit_flips_and_replays_are_rejected_without_changing_state_and_the_genuine_message_still_decrypts(string pairing)
    {
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAsync();

        // A replayed PreKey message (same base key, same counter) is a duplicate.
        var hello = await chat.SendAsync(chat.Initiator);
        await chat.DeliverAsync(hello);
        await chat.AssertStateUnchangedAsync(chat.Responder, chat.Initiator, "a replayed PreKey message",
            () => chat.RejectAsync(hello, "replayed PreKey message"));
        await chat.DeliverAsync(await chat.SendAsync(chat.Responder));

        var flips = 0;
        foreach (var sender in new[] { chat.Initiator, chat.Responder })
        {
            var receiver = chat.Other(sender);
            var genuine = await chat.SendAsync(sender);
            Assert.Equal(MessageType.Whisper, genuine.Type);

            await chat.AssertStateUnchangedAsync(receiver, sender, "every single-bit flip, truncations and a wrong type", async () =>
            {
                for (var bit = 0; bit < genuine.Body.Length * 8; bit++)
                {
                    var tampered = (byte[])genuine.Body.Clone();
                    tampered[bit / 8] ^= (byte)(1 << (bit % 8));
                    await chat.RejectAsync(genuine.WithBody(tampered), $"bit {bit} flipped");
                    flips++;
                }

                await chat.RejectAsync(genuine.WithBody(genuine.Body[..^1]), "last byte cut");
                await chat.RejectAsync(genuine.WithBody(genuine.Body[..^8]), "MAC cut");
                await chat.RejectAsync(genuine.WithBody([.. genuine.Body, 0]), "byte appended");
                await chat.RejectAsync(genuine.WithBody([]), "empty body");
                await chat.RejectAsync(genuine, "delivered as a PreKey message", asType: MessageType.PreKey);
                await chat.RejectAsync(genuine, "delivered as a sender-key message", asType: MessageType.SenderKey);
            });

            var beforeGenuine = await receiver.SessionInfoAsync(sender);
            await chat.DeliverAsync(genuine);
            var afterGenuine = await receiver.SessionInfoAsync(sender);
            if (beforeGenuine is not null && afterGenuine is not null)
            {
                // The snapshot is sensitive: a successful decrypt does change it.
                Assert.False(beforeGenuine.SameStateAs(afterGenuine), $"{receiver.Label}'s session_info did not change after a successful decrypt.");
            }

            await chat.AssertStateUnchangedAsync(receiver, sender, "a replayed message", () => chat.RejectAsync(genuine, "replayed"));

            // The session still works both ways.
            await chat.DeliverAsync(await chat.SendAsync(receiver));
            await chat.DeliverAsync(await chat.SendAsync(sender));
            if (afterGenuine is not null)
            {
                chat.Note($"{receiver.Label}: session_info compared byte for byte before and after every rejection");
            }
        }

        chat.Note($"{flips} single-bit flips rejected");
    }
}

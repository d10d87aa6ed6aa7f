using Parley.Interop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Scenarios;

/// <summary>Sender keys: the distribution message travels inside the 1:1 session, then group messages flow.</summary>
public sealed class SenderKeyScenarioTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Group_messages_decrypt_out_of_order_and_a_duplicate_or_tampered_one_is_rejected(string pairing)
    {
        const int GroupMessages = 40;
        await using var chat = await Conversation.StartAsync(pairing, output);
        await chat.EstablishAndGreetAsync();
        var distributionId = Guid.NewGuid();

        foreach (var sender in new[] { chat.Initiator, chat.Responder })
        {
            var member = chat.Other(sender);
            var skdm = await sender.SkdmCreateAsync(distributionId);
            var carrier = await chat.SendAsync(sender, skdm);
            await chat.DeliverAsync(carrier);
            await member.SkdmProcessAsync(sender, skdm);

            var group = new List<Envelope>();
            for (var i = 0; i < GroupMessages; i++)
            {
                var message = await sender.GroupEncryptAsync(distributionId, chat.RandomPayload(500));
                Assert.Equal(MessageType.SenderKey, message.Type);
                group.Add(message);
                chat.Tally.Sent++;
            }

            var order = chat.Shuffled(group);
            for (var i = 0; i < order.Count; i++)
            {
                // Both ways in: `decrypt` with type 7 and `group_decrypt`.
                if (i % 2 == 0)
                {
                    await chat.DeliverAsync(order[i], member);
                }
                else
                {
                    var answer = await member.TryGroupDecryptAsync(sender, order[i].Body);
                    Assert.True(answer.IsOk(), $"group_decrypt refused {order[i]}: {answer.Error()}");
                    Assert.Equal(order[i].Plaintext, answer.Bytes("plaintext_b64"));
                    chat.Tally.Decrypted++;
                }
            }

            var duplicate = order[chat.Random.Next(order.Count)];
            await chat.AssertStateUnchangedAsync(member, sender, "a duplicate and tampered group messages", async () =>
            {
                await chat.RejectAsync(duplicate, "duplicate group message", member);
                var extra = await sender.GroupEncryptAsync(distributionId, chat.RandomPayload(100));
                chat.Tally.Sent++;
                foreach (var position in new[] { 0, extra.Body.Length / 2, extra.Body.Length - 1 })
                {
                    var tampered = (byte[])extra.Body.Clone();
                    tampered[position] ^= 0x01;
                    await chat.RejectAsync(extra.WithBody(tampered), $"group message byte {position} flipped", member);
                }

                group.Add(extra);
            });
            await chat.DeliverAsync(group[^1], member);
        }

        // Sender keys did not disturb the 1:1 session.
        await chat.DeliverAsync(await chat.SendAsync(chat.Initiator));
        await chat.DeliverAsync(await chat.SendAsync(chat.Responder));
    }
}

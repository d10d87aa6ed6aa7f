using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Parley.Contracts.Errors;
using Parley.Contracts.Messages;
using Parley.Server.Messages;
using Parley.Testing;

namespace Parley.Server.Tests.Api;

public sealed class MessageTests
{
    [Fact]
    public async Task A_sent_envelope_waits_in_the_mailbox_until_acknowledged()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var content = RandomNumberGenerator.GetBytes(500);

        var id = await alice.SendAsync("bob", content);
        var batch = await bob.FetchAsync();
        var envelope = Assert.Single(batch.Envelopes);
        Assert.False(batch.More);
        Assert.Equal(id, envelope.Id);
        Assert.Equal(content, envelope.Content);
        Assert.Equal(("alice", 1, EnvelopeType.Whisper), (envelope.SourceUsername, envelope.SourceDeviceId, envelope.Type));

        // Fetching again without acknowledging returns it again, with the same id.
        Assert.Equal(id, Assert.Single((await bob.FetchAsync()).Envelopes).Id);
        await bob.AcknowledgeAsync(id);
        Assert.Empty((await bob.FetchAsync()).Envelopes);
    }

    [Fact]
    public async Task Fetch_returns_the_oldest_first_in_batches()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await alice.SendAsync("bob"));
        }

        var first = await bob.FetchAsync(limit: 3);
        Assert.True(first.More);
        Assert.Equal(ids[..3], first.Envelopes.Select(e => e.Id));
        await bob.AcknowledgeAsync([.. first.Envelopes.Select(e => e.Id)]);
        var rest = await bob.FetchAsync(limit: 3);
        Assert.False(rest.More);
        Assert.Equal(ids[3..], rest.Envelopes.Select(e => e.Id));

        foreach (var bad in new[] { "0", "-1", "101", "x", "1&limit=2" })
        {
            using var response = await bob.Http.GetAsync(ApiPaths.Messages + "?limit=" + bad);
            await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidParameter);
        }
    }

    [Fact]
    public async Task A_stale_device_list_gets_409_with_missing_and_extra_devices_and_nothing_is_stored()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        await relay.RegisterAsync("bob");
        await RelayDatabase.AddDeviceAsync(relay, "bob", 2);
        await RelayDatabase.AddDeviceAsync(relay, "bob", 5);

        var request = new SendMessageRequest(Guid.NewGuid(), 1, [
            new OutgoingEnvelope(1, EnvelopeType.Whisper, [1]),
            new OutgoingEnvelope(3, EnvelopeType.Whisper, [3]),
            new OutgoingEnvelope(4, EnvelopeType.PreKey, [4]),
        ]);
        using var response = await alice.SendRawAsync("bob", request);
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict, ErrorCodes.DeviceMismatch);
        Assert.Equal([2, 5], problem.MissingDevices);
        Assert.Equal([3, 4], problem.ExtraDevices);
        Assert.Equal(0, await RelayDatabase.EnvelopeCountAsync(relay));

        // The corrected request, with the same message id, is stored for all three devices.
        using var fixedResponse = await alice.SendRawAsync("bob", request with
        {
            Envelopes = [.. new[] { 1, 2, 5 }.Select(d => new OutgoingEnvelope(d, EnvelopeType.Whisper, [(byte)d]))],
        });
        Assert.Equal(HttpStatusCode.OK, fixedResponse.StatusCode);
        var sent = await fixedResponse.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse);
        Assert.Equal([1, 2, 5], sent!.Envelopes.Select(e => e.DeviceId).Order());
        Assert.Equal(3, sent.Envelopes.Select(e => e.EnvelopeId).Distinct().Count());
        Assert.Equal(3, await RelayDatabase.EnvelopeCountAsync(relay));
    }

    [Fact]
    public async Task Sending_to_ones_own_account_covers_the_other_devices_only()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        var second = relay.As(await RelayDatabase.AddDeviceAsync(relay, "alice", 2));

        using var withSelf = await alice.SendRawAsync("alice", new SendMessageRequest(Guid.NewGuid(), 1, [
            new OutgoingEnvelope(1, EnvelopeType.Whisper, [1]), new OutgoingEnvelope(2, EnvelopeType.Whisper, [2])]));
        var problem = await ProblemAssert.IsAsync(withSelf, HttpStatusCode.Conflict, ErrorCodes.DeviceMismatch);
        Assert.Equal([1], problem.ExtraDevices);

        using var ok = await alice.SendRawAsync("alice", TestDevice.Message(2, [9]));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var batch = await second.GetFromJsonAsync(ApiPaths.Messages, ParleyJsonContext.Default.MessageBatch);
        Assert.Equal([9], Assert.Single(batch!.Envelopes).Content);
    }

    [Fact]
    public async Task A_resent_message_is_stored_once_even_after_acknowledgement()
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var messageId = Guid.NewGuid();

        var first = await alice.SendAsync("bob", [1, 2, 3], messageId);
        var retries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => alice.SendAsync("bob", [1, 2, 3], messageId)));
        Assert.All(retries, id => Assert.Equal(first, id));
        Assert.Equal(first, Assert.Single((await bob.FetchAsync()).Envelopes).Id);

        await bob.AcknowledgeAsync(first);
        Assert.Equal(first, await alice.SendAsync("bob", [1, 2, 3], messageId));
        Assert.Empty((await bob.FetchAsync()).Envelopes);

        // The idempotency key includes the sender device: another sender's equal message id is a new message.
        var carol = await relay.RegisterAsync("carol");
        Assert.NotEqual(first, await carol.SendAsync("bob", [1, 2, 3], messageId));
    }

    [Fact]
    public async Task Envelope_size_is_limited_and_the_default_fits_a_large_prekey_message()
    {
        await using (var defaults = await TestRelay.StartAsync())
        {
            var alice = await defaults.RegisterAsync("alice");
            await defaults.RegisterAsync("bob");
            await alice.SendAsync("bob", RandomNumberGenerator.GetBytes(256 * 1024));
            using var tooLarge = await alice.SendRawAsync("bob", TestDevice.Message(1, RandomNumberGenerator.GetBytes((256 * 1024) + 1)));
            await ProblemAssert.IsAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.EnvelopeTooLarge);
        }

        await using var relay = await TestRelay.StartAsync(limits => limits.MaxEnvelopeBytes = 1024);
        var a = await relay.RegisterAsync("alice");
        await relay.RegisterAsync("bob");
        await a.SendAsync("bob", new byte[1024]);
        using var response = await a.SendRawAsync("bob", TestDevice.Message(1, new byte[1025]));
        await ProblemAssert.IsAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.EnvelopeTooLarge);
    }

    public static TheoryData<string, SendMessageRequest> InvalidSends() => new()
    {
        { "no envelopes", new SendMessageRequest(Guid.NewGuid(), 1, []) },
        { "empty message id", new SendMessageRequest(Guid.Empty, 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, [1])]) },
        { "unknown type", TestDevice.Message(1, [1], type: (EnvelopeType)5) },
        { "device 0", TestDevice.Message(0, [1]) },
        { "device 128", TestDevice.Message(128, [1]) },
        { "empty content", TestDevice.Message(1, []) },
        { "device twice", new SendMessageRequest(Guid.NewGuid(), 1, [new OutgoingEnvelope(1, EnvelopeType.Whisper, [1]), new OutgoingEnvelope(1, EnvelopeType.Whisper, [2])]) },
    };

    [Theory]
    [MemberData(nameof(InvalidSends))]
    public async Task Invalid_sends_get_422_and_store_nothing(string what, SendMessageRequest request)
    {
        await using var relay = await TestRelay.StartAsync();
        var alice = await relay.RegisterAsync("alice");
        await relay.RegisterAsync("bob");
        using var response = await alice.SendRawAsync("bob", request);
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, ErrorCodes.InvalidEnvelope);
        Assert.False(string.IsNullOrEmpty(problem.Detail), what);
        Assert.Equal(0, await RelayDatabase.EnvelopeCountAsync(relay));
    }

    [Fact]
    public async Task A_full_mailbox_refuses_the_whole_send_with_507_until_space_is_acknowledged()
    {
        await using var relay = await TestRelay.StartAsync(limits =>
        {
            limits.MailboxMaxEnvelopes = 2;
            limits.MailboxMaxBytes = 1000;
        });
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var bob2 = relay.As(await RelayDatabase.AddDeviceAsync(relay, "bob", 2));
        SendMessageRequest ToBoth(int size) => new(Guid.NewGuid(), 1, [
            new OutgoingEnvelope(1, EnvelopeType.Whisper, new byte[10]), new OutgoingEnvelope(2, EnvelopeType.Whisper, new byte[size])]);

        using (var first = await alice.SendRawAsync("bob", ToBoth(600)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Device 2 is over its byte quota: nothing is stored for device 1 either.
        using (var overBytes = await alice.SendRawAsync("bob", ToBoth(600)))
        {
            var problem = await ProblemAssert.IsAsync(overBytes, HttpStatusCode.InsufficientStorage, ErrorCodes.MailboxFull);
            Assert.Equal(2, problem.DeviceId);
        }

        Assert.Single((await bob.FetchAsync()).Envelopes);
        using (var second = await alice.SendRawAsync("bob", ToBoth(10)))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        using (var overCount = await alice.SendRawAsync("bob", ToBoth(10)))
        {
            var problem = await ProblemAssert.IsAsync(overCount, HttpStatusCode.InsufficientStorage, ErrorCodes.MailboxFull);
            Assert.Equal(1, problem.DeviceId);
        }

        await bob.AcknowledgeAsync([.. (await bob.FetchAsync()).Envelopes.Select(e => e.Id)]);
        var pending = await bob2.GetFromJsonAsync(ApiPaths.Messages, ParleyJsonContext.Default.MessageBatch);
        using (var ack = await bob2.PostAsJsonAsync(ApiPaths.Acknowledge, new AcknowledgeRequest([.. pending!.Envelopes.Select(e => e.Id)]), ParleyJsonContext.Default.AcknowledgeRequest))
        {
            Assert.Equal(HttpStatusCode.NoContent, ack.StatusCode);
        }

        using var afterAck = await alice.SendRawAsync("bob", ToBoth(600));
        Assert.Equal(HttpStatusCode.OK, afterAck.StatusCode);
    }

    [Fact]
    public async Task Envelopes_expire_after_the_retention_and_are_swept()
    {
        // The default retention, 30 days, as the issue states it (only the sweep is moved out of the way).
        Assert.Equal(TimeSpan.FromDays(30), new RelayLimits().MessageRetention);
        var clock = new ManualTimeProvider();
        await using var relay = await TestRelay.StartAsync(limits => limits.ExpirySweepInterval = TimeSpan.FromDays(40), clock);
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        var old = await alice.SendAsync("bob");
        clock.Advance(TimeSpan.FromDays(29));
        var recent = await alice.SendAsync("bob");

        clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1));
        Assert.Equal([old, recent], (await bob.FetchAsync()).Envelopes.Select(e => e.Id));

        // Expired: never delivered again, even before the sweep removes it.
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([recent], (await bob.FetchAsync()).Envelopes.Select(e => e.Id));
        await using (var stream = await bob.ConnectAsync())
        {
            Assert.Equal([recent], (await stream.ReceiveUntilDrainedAsync()).Select(e => e.Id));
        }

        // The sweep (a timer on the same clock, due at day 40) removes it from disk.
        Assert.Equal(2, await RelayDatabase.EnvelopeCountAsync(relay));
        clock.Advance(TimeSpan.FromDays(10));
        await Eventually.TrueAsync(async () => await RelayDatabase.EnvelopeCountAsync(relay) == 1, TimeSpan.FromSeconds(10), "the sweep removed the expired envelope");
        Assert.Equal(0, await relay.Server.Services.GetRequiredService<ExpirySweeper>().SweepOnceAsync(CancellationToken.None));
        Assert.Equal(1, await RelayDatabase.ScalarAsync(relay, "SELECT mailbox_count FROM devices d JOIN accounts a ON a.id = d.account_id WHERE a.username = 'bob'"));
    }
}

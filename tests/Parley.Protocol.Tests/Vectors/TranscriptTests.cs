using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Vectors;

/// <summary>Parley as Bob replays first flights recorded from libsignal (PROTOCOL.md §12).</summary>
public sealed class TranscriptTests
{
    public static TheoryData<int[]> Orders => new() { new[] { 0, 1, 2 }, new[] { 0, 2, 1 }, new[] { 1, 0, 2 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 }, new[] { 2, 1, 0 } };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Libsignal_0_90_first_flight_decrypts_in_every_order(int[] order)
    {
        var transcript = Transcript.Load("transcript-0.90.0-first-flight.json");
        var store = transcript.CreateBobStore();
        var messages = transcript.Messages;
        foreach (var index in order)
        {
            var (type, body, expected) = messages[index];
            Assert.Equal(CiphertextMessageType.PreKey, type);
            var message = PreKeySignalMessage.Deserialize(body);
            Assert.True(message.Message.HasPqRatchet, "0.90 first-flight messages carry an SPQR field that must be ignored.");
            var plaintext = await SessionCipher.DecryptPreKeyMessageAsync(
                message, transcript.Alice, transcript.Bob, store, store, store, store, store);
            Assert.Equal(expected, plaintext);
        }

        var record = await store.LoadSessionAsync(transcript.Alice, default);
        Assert.NotNull(record);
        Assert.Equal(0, record.ArchivedStateCount);
    }

    [Fact]
    public async Task Libsignal_0_103_first_flight_is_rejected_by_MAC()
    {
        var transcript = Transcript.Load("transcript-0.103.0-first-flight.json");
        var store = transcript.CreateBobStore();
        var before = store.ComputeStateDigest();
        foreach (var (_, body, _) in transcript.Messages)
        {
            var message = PreKeySignalMessage.Deserialize(body);
            var error = await Assert.ThrowsAsync<InvalidMessageException>(() => SessionCipher.DecryptPreKeyMessageAsync(
                message, transcript.Alice, transcript.Bob, store, store, store, store, store).AsTask());
            Assert.Equal(CiphertextMessageType.PreKey, error.MessageType);
            Assert.Contains("MAC verification failed", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, store.ComputeStateDigest());
    }

    [Fact]
    public void Exported_key_records_load_and_reserialize_identically()
    {
        foreach (var file in new[] { "transcript-0.90.0-first-flight.json", "transcript-0.103.0-first-flight.json" })
        {
            var keys = Transcript.Load(file).BobKeys;
            foreach (var entry in keys.GetProperty("preKeys").EnumerateArray())
            {
                var bytes = Transcript.B64(entry, "record_b64");
                Assert.Equal(bytes, PreKeyRecord.Deserialize(bytes).Serialize());
            }

            foreach (var entry in keys.GetProperty("signedPreKeys").EnumerateArray())
            {
                var bytes = Transcript.B64(entry, "record_b64");
                var record = SignedPreKeyRecord.Deserialize(bytes);
                Assert.Equal(bytes, record.Serialize());
                Assert.True(IdentityKey.Deserialize(Transcript.B64(keys, "identityKey_b64")).VerifySignature(record.KeyPair.PublicKey.Serialize(), record.Signature.Span));
            }

            foreach (var entry in keys.GetProperty("kyberPreKeys").EnumerateArray())
            {
                var bytes = Transcript.B64(entry, "record_b64");
                var record = KyberPreKeyRecord.Deserialize(bytes);
                Assert.Equal(bytes, record.Serialize());
                Assert.Equal(Transcript.B64(entry, "public_b64"), record.KeyPair.PublicKey.Serialize());
                Assert.Equal(Transcript.B64(entry, "secret_b64"), record.KeyPair.SecretKey.Serialize());
            }
        }
    }
}

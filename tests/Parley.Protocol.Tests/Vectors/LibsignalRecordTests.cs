using System.Text.Json;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Vectors;

/// <summary>
/// Session records written by libsignal-client 0.90.0 (Vectors/Data/libsignal-0.90-records.json, recorded with
/// record-libsignal-records.py) load in Parley, re-encode to the same bytes, and continue their sessions.
/// </summary>
public sealed class LibsignalRecordTests
{
    private static readonly Lazy<JsonElement> Data = new(() =>
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Vectors", "Data", "libsignal-0.90-records.json"));
        return JsonDocument.Parse(stream).RootElement.Clone();
    });

    [Fact]
    public async Task An_unacknowledged_libsignal_record_loads_negotiates_SPQR_down_and_keeps_sending_PreKey_messages()
    {
        var flight = Data.Value.GetProperty("firstFlight");
        var aliceRecordBytes = ExportedKeys.B64(flight.GetProperty("alice"), "record_b64");
        var record = SessionRecord.Deserialize(aliceRecordBytes);
        Assert.True(record.IsUnacknowledged);
        Assert.Null(record.CurrentState!.RequiredPqRatchetState);
        Assert.True(record.HasUsableSenderChain(DateTimeOffset.UtcNow));

        // libsignal stores the pending pre-key's creation time in seconds: 30 days later the session stops sending.
        var created = DateTimeOffset.FromUnixTimeSeconds((long)record.CurrentState.PendingPreKey!.TimestampSeconds);
        Assert.InRange(created.Year, 2025, 2030);
        Assert.True(record.HasUsableSenderChain(created + ProtocolLimits.MaxUnacknowledgedSessionAge));
        Assert.False(record.HasUsableSenderChain(created + ProtocolLimits.MaxUnacknowledgedSessionAge + TimeSpan.FromSeconds(1)));

        // Parley writes libsignal's layout: the same bytes, minus the SPQR state it negotiated down (field 15).
        Assert.Equal(WithoutField15(aliceRecordBytes), record.Serialize());

        var alice = Address(flight.GetProperty("alice"));
        var bob = Address(flight.GetProperty("bob"));
        var aliceStore = ExportedKeys.ToStore(flight.GetProperty("alice").GetProperty("keys"));
        await aliceStore.StoreSessionAsync(bob, record, default);
        var continuation = await SessionCipher.EncryptAsync("continued by Parley"u8.ToArray(), bob, alice, aliceStore, aliceStore);
        var preKey = Assert.IsType<PreKeySignalMessage>(continuation);

        var bobStore = ExportedKeys.ToStore(flight.GetProperty("bob").GetProperty("keys"));
        var messages = flight.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(PreKeySignalMessage.Deserialize(ExportedKeys.B64(messages[0], "body_b64")).BaseKey, preKey.BaseKey);
        Assert.Equal("continued by Parley"u8.ToArray(), await SessionCipher.DecryptPreKeyMessageAsync(preKey, alice, bob, bobStore, bobStore, bobStore, bobStore, bobStore));
        foreach (var message in messages)
        {
            var plaintext = await SessionCipher.DecryptPreKeyMessageAsync(
                PreKeySignalMessage.Deserialize(ExportedKeys.B64(message, "body_b64")), alice, bob, bobStore, bobStore, bobStore, bobStore, bobStore);
            Assert.Equal(ExportedKeys.B64(message, "plaintext_b64"), plaintext);
        }

        // Bob answers; Alice (Parley, on libsignal's record) decrypts and stops sending PreKey messages.
        var reply = await SessionCipher.EncryptAsync("reply"u8.ToArray(), alice, bob, bobStore, bobStore);
        Assert.Equal("reply"u8.ToArray(), await SessionCipher.DecryptSignalMessageAsync((SignalMessage)reply, bob, alice, aliceStore, aliceStore));
        Assert.IsType<SignalMessage>(await SessionCipher.EncryptAsync("plain"u8.ToArray(), bob, alice, aliceStore, aliceStore));
    }

    [Theory]
    [InlineData("aliceRecord_b64")]
    [InlineData("bobRecord_b64")]
    public async Task A_libsignal_record_that_settled_on_SPQR_loads_byte_for_byte_but_cannot_be_used(string which)
    {
        var bytes = ExportedKeys.B64(Data.Value.GetProperty("spqrSession"), which);
        var record = SessionRecord.Deserialize(bytes);
        Assert.NotNull(record.CurrentState!.RequiredPqRatchetState);
        Assert.Equal(bytes, record.Serialize());
        Assert.False(record.HasUsableSenderChain(DateTimeOffset.UtcNow));

        var store = new InMemoryProtocolStore(Parley.Protocol.Keys.IdentityKeyPair.Generate(), 1);
        var peer = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        await store.StoreSessionAsync(peer, record, default);
        await Assert.ThrowsAsync<NoSessionException>(() => SessionCipher.EncryptAsync("x"u8.ToArray(), peer, peer, store, store).AsTask());
    }

    [Fact]
    public async Task A_libsignal_record_negotiated_down_with_Parley_continues_the_conversation()
    {
        var data = Data.Value.GetProperty("negotiatedDown");
        var aliceBytes = ExportedKeys.B64(data.GetProperty("alice"), "record_b64");
        var bobBytes = ExportedKeys.B64(data.GetProperty("bob"), "record_b64");
        var aliceRecord = SessionRecord.Deserialize(aliceBytes);
        Assert.Equal(aliceBytes, aliceRecord.Serialize());
        Assert.False(aliceRecord.IsUnacknowledged);

        var alice = Address(data.GetProperty("alice"));
        var bob = Address(data.GetProperty("bob"));
        var aliceStore = ExportedKeys.ToStore(data.GetProperty("alice").GetProperty("keys"));
        var bobStore = ExportedKeys.ToStore(data.GetProperty("bob").GetProperty("keys"));
        await aliceStore.StoreSessionAsync(bob, aliceRecord, default);
        await bobStore.StoreSessionAsync(alice, SessionRecord.Deserialize(bobBytes), default);

        // A message libsignal sent before the export, skipped by Parley's Bob: its stored key still works.
        var skipped = data.GetProperty("skippedMessage");
        Assert.Equal(ExportedKeys.B64(skipped, "plaintext_b64"), await SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(ExportedKeys.B64(skipped, "body_b64")), alice, bob, bobStore, bobStore));

        for (var turn = 0; turn < 3; turn++)
        {
            var fromAlice = (SignalMessage)await SessionCipher.EncryptAsync("from libsignal's record"u8.ToArray(), bob, alice, aliceStore, aliceStore);
            Assert.Equal("from libsignal's record"u8.ToArray(), await SessionCipher.DecryptSignalMessageAsync(fromAlice, alice, bob, bobStore, bobStore));
            var fromBob = (SignalMessage)await SessionCipher.EncryptAsync("back"u8.ToArray(), alice, bob, bobStore, bobStore);
            Assert.Equal("back"u8.ToArray(), await SessionCipher.DecryptSignalMessageAsync(fromBob, bob, alice, aliceStore, aliceStore));
        }
    }

    private static ProtocolAddress Address(JsonElement party) => new(party.GetProperty("name").GetString()!, party.GetProperty("deviceId").GetInt32());

    /// <summary>The record with field 15 (pq_ratchet_state) removed from every state, lengths fixed up.</summary>
    private static byte[] WithoutField15(byte[] record)
    {
        var output = new List<byte>();
        foreach (var (field, raw) in ProtoEdit.Fields(record))
        {
            var headerLength = 1;
            while ((raw[headerLength] & 0x80) != 0)
            {
                headerLength++;
            }

            headerLength++;
            var state = ProtoEdit.Fields(raw.AsSpan(headerLength)).Where(f => f.Field != 15).SelectMany(f => f.Raw).ToArray();
            output.Add(raw[0]);
            var length = (uint)state.Length;
            while (length >= 0x80)
            {
                output.Add(unchecked((byte)(length | 0x80)));
                length >>= 7;
            }

            output.Add((byte)length);
            output.AddRange(state);
        }

        return [.. output];
    }
}

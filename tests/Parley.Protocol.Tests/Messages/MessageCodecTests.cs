using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Messages;

public sealed class MessageCodecTests
{
    [Fact]
    public async Task SignalMessage_has_version_byte_0x44_ascending_fields_and_an_8_byte_MAC()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var message = (SignalMessage)await alice.EncryptAsync(bob, "x");
        var bytes = message.Serialize();
        Assert.Equal(0x44, bytes[0]);
        Assert.Equal(0x0A, bytes[1]); // field 1 (ratchet key), length-delimited
        Assert.Equal(33, bytes[2]);
        Assert.Equal(0x05, bytes[3]);
        Assert.False(message.HasPqRatchet);
        Assert.False(message.HasAddresses);
        var parsed = SignalMessage.Deserialize(bytes);
        Assert.Equal(message.Counter, parsed.Counter);
        Assert.Equal(message.SenderRatchetKey, parsed.SenderRatchetKey);
        Assert.Equal(message.Ciphertext.ToArray(), parsed.Ciphertext.ToArray());
        Assert.Equal(bytes, parsed.Serialize());
    }

    [Fact]
    public async Task PreKeySignalMessage_carries_Kyber_fields_and_addresses_when_names_are_ServiceIds()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = (PreKeySignalMessage)await alice.EncryptAsync(bob, "hi");
        Assert.Equal(0x44, message.Serialize()[0]);
        Assert.Equal(4, message.MessageVersion);
        Assert.NotNull(message.KyberPreKeyId);
        Assert.Equal(1569, message.KyberCiphertext.Length);
        Assert.Equal(0x08, message.KyberCiphertext.Span[0]);
        Assert.Equal(alice.RegistrationId, message.RegistrationId);
        Assert.True(message.Message.HasAddresses);
        Assert.Equal(36, message.Message.Addresses.Length);
        Assert.Equal(0x00, message.Message.Addresses.Span[0]); // ACI
        Assert.Equal(alice.Address.DeviceId, message.Message.Addresses.Span[17]);

        var parsed = PreKeySignalMessage.Deserialize(message.Serialize());
        Assert.Equal(message.Serialize(), parsed.Serialize());
        Assert.Equal(message.BaseKey, parsed.BaseKey);
        Assert.Equal(message.IdentityKey, parsed.IdentityKey);
    }

    [Fact]
    public async Task Addresses_are_omitted_when_names_are_not_ServiceIds()
    {
        var alice = new TestParty("alice");
        var bob = new TestParty("bob");
        await alice.StartSessionWithAsync(bob);
        var message = (PreKeySignalMessage)await alice.EncryptAsync(bob, "hi");
        Assert.False(message.Message.HasAddresses);
        Assert.Equal("hi", await bob.DecryptAsync(alice, message));
    }

    [Theory]
    [InlineData(0x24, true)]
    [InlineData(0x14, true)]
    [InlineData(0x54, false)]
    [InlineData(0xF4, false)]
    public async Task Versions_outside_3_and_4_are_refused_with_the_version(byte versionByte, bool legacy)
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var bytes = (await alice.EncryptAsync(bob, "x")).Serialize();
        bytes[0] = versionByte;
        var error = Assert.Throws<UnsupportedMessageVersionException>(() => SignalMessage.Deserialize(bytes));
        Assert.Equal(versionByte >> 4, error.Version);
        Assert.Equal(legacy, error.IsLegacy);
    }

    [Fact]
    public async Task The_low_nibble_of_the_version_byte_is_ignored_when_parsing()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var bytes = (await alice.EncryptAsync(bob, "x")).Serialize();
        bytes[0] = 0x4F;
        Assert.Equal(4, SignalMessage.Deserialize(bytes).MessageVersion);
    }

    [Fact]
    public void Too_short_messages_are_refused()
    {
        Assert.Throws<InvalidMessageException>(() => SignalMessage.Deserialize(new byte[8]));
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize([]));
        Assert.Throws<InvalidMessageException>(() => SenderKeyMessage.Deserialize(new byte[64]));
        Assert.Throws<InvalidMessageException>(() => SenderKeyDistributionMessage.Deserialize(new byte[64]));
    }

    [Fact]
    public async Task PreKey_message_with_only_one_of_the_Kyber_fields_is_refused()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = (PreKeySignalMessage)await alice.EncryptAsync(bob, "hi");
        var withoutCiphertext = ProtoEdit.RemoveField(message.Serialize(), 1, 8);
        var error = Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(withoutCiphertext));
        Assert.Contains("together", error.Message, StringComparison.Ordinal);

        var withoutBoth = ProtoEdit.RemoveField(withoutCiphertext, 1, 7);
        Assert.Contains("must be present", Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(withoutBoth)).Message, StringComparison.Ordinal);

        // As version 3 the Kyber fields may be absent: parsing succeeds; processing refuses (see DowngradeTests).
        withoutBoth[0] = 0x34;
        Assert.Equal(3, PreKeySignalMessage.Deserialize(withoutBoth).MessageVersion);
    }

    [Fact]
    public async Task PreKey_message_fields_parse_in_any_order()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var message = (PreKeySignalMessage)await alice.EncryptAsync(bob, "reordered");
        var reversed = ProtoEdit.ReverseFields(message.Serialize(), 1);
        Assert.NotEqual(message.Serialize(), reversed);
        var parsed = PreKeySignalMessage.Deserialize(reversed);
        Assert.Equal(message.SignedPreKeyId, parsed.SignedPreKeyId);
        Assert.Equal("reordered", await bob.DecryptAsync(alice, parsed));
    }

    [Fact]
    public async Task Unknown_fields_and_a_pq_ratchet_field_are_kept_in_the_MACd_bytes()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var message = (SignalMessage)await alice.EncryptAsync(bob, "x");

        // Field 5 (pq_ratchet) inserted without recomputing the MAC: parses, but the MAC no longer matches.
        var withPq = ProtoEdit.InsertBeforeMac(message.Serialize(), [0x2A, 0x02, 0x01, 0x00]);
        var parsed = SignalMessage.Deserialize(withPq);
        Assert.True(parsed.HasPqRatchet);
        await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptAsync(alice, parsed));
        Assert.Equal("x", await bob.DecryptAsync(alice, message));
    }
}

using System.Diagnostics;
using Parley.Protocol.Groups;
using Parley.Protocol.Messages;
using Parley.Protocol.Stores;
using Parley.Protocol.Tests.Support;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Attacks;

/// <summary>
/// TESTPLAN C1: single-bit flips of sample messages (a PreKey message, two SignalMessages, a SenderKeyMessage — about
/// 10^4 variants) are rejected with a declared error and change no store; the only flips that still decrypt touch a
/// PreKey message's unauthenticated metadata (its outer version nibble or registration id), exactly as in libsignal.
/// Every bit is flipped, except inside the PreKey message's 1569-byte Kyber ciphertext, where one bit per byte is
/// (each costs a Kyber decapsulation that always ends in implicit rejection and a MAC failure).
/// </summary>
public sealed class TamperTests(ITestOutputHelper output)
{
    private static readonly Type[] DeclaredErrors =
    [
        typeof(InvalidMessageException), typeof(UnsupportedMessageVersionException), typeof(InvalidPreKeyIdException),
        typeof(DuplicateMessageException), typeof(InvalidSignatureException), typeof(NoSenderKeyStateException),
        typeof(ReusedBaseKeyException),
    ];

    [Fact]
    public async Task Every_bit_flip_of_a_PreKey_message_is_rejected_unless_it_only_touches_unauthenticated_metadata()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var original = (PreKeySignalMessage)await alice.EncryptAsync(bob, "tamper me");
        var bytes = original.Serialize();
        var template = bob.Store;
        var digest = template.ComputeStateDigest();
        var store = template.Clone(bob.Identity, bob.RegistrationId);
        var secrets = Secrets(alice, bob);

        int rejected = 0, acceptedMetadata = 0;
        var clock = Stopwatch.StartNew();
        var (kyberStart, kyberEnd) = KyberCiphertextRange(bytes);
        var variants = 0;
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var offset = bit / 8;
            if (offset > kyberStart && offset < kyberEnd - 1 && bit % 8 != offset % 8)
            {
                continue;
            }

            variants++;
            var variant = Flip(bytes, bit);
            try
            {
                var message = PreKeySignalMessage.Deserialize(variant);
                var plaintext = await SessionCipher.DecryptPreKeyMessageAsync(message, alice.Address, bob.Address, store, store, store, store, store);

                // Accepted: it must be the same message with only unauthenticated metadata changed.
                Assert.Equal("tamper me"u8.ToArray(), plaintext);
                Assert.Equal(original.Message.Serialize(), message.Message.Serialize());
                Assert.Equal(original.BaseKey, message.BaseKey);
                Assert.Equal(original.IdentityKey, message.IdentityKey);
                Assert.Equal(original.PreKeyId, message.PreKeyId);
                Assert.Equal(original.SignedPreKeyId, message.SignedPreKeyId);
                Assert.Equal(original.KyberPreKeyId, message.KyberPreKeyId);
                Assert.Equal(original.KyberCiphertext.ToArray(), message.KyberCiphertext.ToArray());
                Assert.True(message.RegistrationId != original.RegistrationId || variant[0] != bytes[0], $"bit {bit} decrypted without changing metadata");
                acceptedMetadata++;
                store = template.Clone(bob.Identity, bob.RegistrationId);
            }
            catch (ProtocolException e)
            {
                rejected++;
                AssertDeclared(e, bit, secrets);
                Assert.Equal(digest, store.ComputeStateDigest());
            }
        }

        output.WriteLine($"PreKey message ({bytes.Length} bytes): {variants} variants, {rejected} rejected, {acceptedMetadata} accepted with only metadata changed, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(variants, rejected + acceptedMetadata);
        Assert.True(acceptedMetadata < 40, $"{acceptedMetadata} flips accepted");
    }

    [Theory]
    [InlineData(40)]
    [InlineData(600)]
    public async Task Every_bit_flip_of_a_SignalMessage_is_rejected_and_changes_nothing(int bodyLength)
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "advance"));
        var text = new string('t', bodyLength);
        var bytes = (await alice.EncryptAsync(bob, text)).Serialize();
        var digest = bob.Snapshot();
        var secrets = Secrets(alice, bob);

        var clock = Stopwatch.StartNew();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var error = await Assert.ThrowsAnyAsync<ProtocolException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, Flip(bytes, bit)));
            AssertDeclared(error, bit, secrets);
            Assert.Equal(digest, bob.Snapshot());
        }

        output.WriteLine($"SignalMessage: {bytes.Length * 8} variants rejected in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(await bob.DecryptBytesAsync(alice, CiphertextMessageType.Whisper, bytes)));
    }

    [Fact]
    public async Task Every_bit_flip_of_a_SenderKeyMessage_is_rejected_and_changes_nothing()
    {
        var group = Guid.NewGuid();
        var alice = new TestParty();
        var bob = new TestParty();
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, group, alice.Store), bob.Store);
        var bytes = (await GroupCipher.EncryptAsync(alice.Address, group, "group tamper target"u8.ToArray(), alice.Store)).Serialize();
        var digest = bob.Snapshot();
        var secrets = Secrets(alice, bob);

        var clock = Stopwatch.StartNew();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var error = await Assert.ThrowsAnyAsync<ProtocolException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.SenderKey, Flip(bytes, bit)));
            AssertDeclared(error, bit, secrets);
            Assert.Equal(digest, bob.Snapshot());
        }

        output.WriteLine($"SenderKeyMessage: {bytes.Length * 8} variants rejected in {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>Byte offsets of the Kyber ciphertext's contents (field 8) in a serialized PreKey message.</summary>
    private static (int Start, int End) KyberCiphertextRange(byte[] message)
    {
        var offset = 1;
        foreach (var (field, raw) in ProtoEdit.Fields(message.AsSpan(1)))
        {
            if (field == 8)
            {
                return (offset + raw.Length - 1569, offset + raw.Length);
            }

            offset += raw.Length;
        }

        throw new InvalidOperationException("no Kyber ciphertext");
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static void AssertDeclared(ProtocolException error, int bit, IReadOnlyList<byte[]> secrets)
    {
        Assert.True(DeclaredErrors.Contains(error.GetType()), $"bit {bit}: undeclared {error.GetType().Name}: {error.Message}");
        Assert.Null(SecretScan.FindLeak(error.Message, secrets));
    }

    private static List<byte[]> Secrets(params TestParty[] parties)
    {
        var secrets = new List<byte[]>();
        foreach (var party in parties)
        {
            secrets.Add(party.Identity.PrivateKey.Serialize());
            for (uint id = 1; id < 4; id++)
            {
                if (party.Store.LoadPreKeyAsync(id, default).AsTask().Result is { } preKey)
                {
                    secrets.Add(preKey.KeyPair.PrivateKey.Serialize());
                }

                if (party.Store.LoadSignedPreKeyAsync(id, default).AsTask().Result is { } signed)
                {
                    secrets.Add(signed.KeyPair.PrivateKey.Serialize());
                }

                if (party.Store.LoadKyberPreKeyAsync(id, default).AsTask().Result is { } kyber)
                {
                    secrets.Add(kyber.KeyPair.SecretKey.Serialize()[1..33]);
                }
            }
        }

        return secrets;
    }
}

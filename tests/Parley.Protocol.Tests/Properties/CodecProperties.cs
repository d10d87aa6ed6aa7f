using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Records;
using Parley.Protocol.Wire;
using Xunit.Abstractions;

namespace Parley.Protocol.Tests.Properties;

/// <summary>
/// TESTPLAN B3: decode(encode(x)) = x for every wire and storage format, encodings are canonical (re-encoding what
/// was decoded gives the same bytes), and the reader never reads past a declared length. 10^4 cases each.
/// </summary>
public sealed class CodecProperties(ITestOutputHelper output)
{
    private const int Cases = 10_000;

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(i => (byte)i);
    private static readonly Gen<uint> AnyUInt = Gen.Choose(0, int.MaxValue).SelectMany(_ => Gen.Choose(0, 3), (v, shift) => unchecked((uint)v << shift));
    private static readonly Gen<byte[]> Key32 = Gen.ArrayOf(AnyByte, 32);
    private static readonly Gen<int> Seed = Gen.Choose(int.MinValue, int.MaxValue);

    // A small pool of keys, so each case does not pay for key generation.
    private static readonly IdentityKeyPair[] Identities = Enumerable.Range(0, 4).Select(_ => IdentityKeyPair.Generate()).ToArray();

    [Fact]
    public void Varints_round_trip_with_minimal_length()
    {
        var values = Gen.Choose(0, 63).SelectMany(_ => Gen.ArrayOf(AnyByte, 8), (bits, bytes) => BitConverter.ToUInt64(bytes) >> bits);
        Run("varint", values, value =>
        {
            var writer = new ProtoWriter();
            writer.WriteVarintField(1, value);
            var reader = new ProtoReader(writer.WrittenSpan);
            var minimal = 1 + Math.Max(1, (64 - (int)ulong.LeadingZeroCount(value) + 6) / 7);
            return reader.TryReadTag(out var field, out var type) && field == 1 && type == WireType.Varint
                && reader.TryReadVarint(out var read) && read == value && reader.IsAtEnd && writer.Length == minimal;
        });
    }

    [Fact]
    public void The_reader_never_returns_bytes_outside_its_input()
    {
        var inputs = Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(AnyByte, n), (_, bytes) => bytes);
        Run("reader bounds", inputs, input =>
        {
            var reader = new ProtoReader(input);
            var steps = 0;
            while (!reader.IsAtEnd && steps++ < 1_000)
            {
                if (!reader.TryReadTag(out _, out var type))
                {
                    return true;
                }

                if (type == WireType.LengthDelimited)
                {
                    if (!reader.TryReadBytes(type, out var slice))
                    {
                        return true;
                    }

                    if (!slice.IsEmpty && (!slice.Overlaps(input, out var offset) || offset + slice.Length > input.Length))
                    {
                        return false;
                    }
                }
                else if (!reader.TrySkip(type))
                {
                    return true;
                }
            }

            return steps < 1_000;
        });
    }

    [Fact]
    public void A_nested_message_cannot_swallow_the_fields_after_it()
    {
        var inputs = Gen.Choose(0, 120).SelectMany(n => Gen.ArrayOf(AnyByte, n), (_, bytes) => bytes).SelectMany(_ => AnyUInt, (inner, id) => (inner, id));
        Run("nested length", inputs, x =>
        {
            var writer = new ProtoWriter();
            writer.WriteBytesField(4, x.inner);
            writer.WriteVarintField(5, x.id);
            var reader = new ProtoReader(writer.WrittenSpan);
            return reader.TryReadTag(out var f4, out var t4) && f4 == 4 && reader.TryReadBytes(t4, out var inner) && inner.SequenceEqual(x.inner)
                && reader.TryReadTag(out var f5, out var t5) && f5 == 5 && reader.TryReadUInt32(t5, out var id) && id == x.id && reader.IsAtEnd;
        });
    }

    [Fact]
    public void SignalMessage_round_trips()
    {
        var inputs = Seed.SelectMany(_ => AnyUInt, (seed, counter) => (seed, counter))
            .SelectMany(_ => AnyUInt, (x, previous) => (x.seed, x.counter, previous))
            .SelectMany(_ => Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(AnyByte, n), (_, b) => b), (x, body) => (Seed: x.seed, Counter: x.counter, Previous: x.previous, Body: body));
        Run("SignalMessage", inputs, x =>
        {
            var random = new Random(x.Seed);
            var version = random.Next(3, 5);
            var ratchetKey = EcPublicKey.FromPublicKeyBytes(RandomBytes(random, 32));
            var addresses = random.Next(2) == 0 ? null : RandomBytes(random, 36);
            var macKey = RandomBytes(random, 32);
            var (sender, receiver) = (Identities[random.Next(4)].IdentityKey, Identities[random.Next(4)].IdentityKey);
            var message = SignalMessage.Create(version, macKey, ratchetKey, x.Counter, x.Previous, x.Body, sender, receiver, addresses);
            var bytes = message.Serialize();
            var parsed = SignalMessage.Deserialize(bytes);
            return parsed.MessageVersion == version && parsed.SenderRatchetKey.Equals(ratchetKey) && parsed.Counter == x.Counter
                && parsed.PreviousCounter == x.Previous && parsed.Ciphertext.Span.SequenceEqual(x.Body)
                && parsed.HasAddresses == (addresses is not null) && (addresses is null || parsed.Addresses.Span.SequenceEqual(addresses))
                && !parsed.HasPqRatchet && parsed.VerifyMac(sender, receiver, macKey) && parsed.Serialize().AsSpan().SequenceEqual(bytes);
        });
    }

    [Fact]
    public void PreKeySignalMessage_round_trips()
    {
        var inputs = Seed.SelectMany(_ => AnyUInt, (seed, registrationId) => (Seed: seed, RegistrationId: registrationId));
        Run("PreKeySignalMessage", inputs, x =>
        {
            var random = new Random(x.Seed);
            var inner = SignalMessage.Create(4, RandomBytes(random, 32), EcPublicKey.FromPublicKeyBytes(RandomBytes(random, 32)), (uint)random.Next(), 0, RandomBytes(random, 16), Identities[0].IdentityKey, Identities[1].IdentityKey, null);
            uint? preKeyId = random.Next(2) == 0 ? null : (uint)random.Next();
            var kyberId = (uint)random.Next();
            var kyberCiphertext = RandomBytes(random, 1569);
            var baseKey = EcPublicKey.FromPublicKeyBytes(RandomBytes(random, 32));
            var identity = Identities[random.Next(4)].IdentityKey;
            var signedId = (uint)random.Next();
            var message = PreKeySignalMessage.Create(4, x.RegistrationId, preKeyId, signedId, kyberId, kyberCiphertext, baseKey, identity, inner);
            var bytes = message.Serialize();
            var parsed = PreKeySignalMessage.Deserialize(bytes);
            return parsed.RegistrationId == x.RegistrationId && parsed.PreKeyId == preKeyId && parsed.SignedPreKeyId == signedId
                && parsed.KyberPreKeyId == kyberId && parsed.KyberCiphertext.Span.SequenceEqual(kyberCiphertext)
                && parsed.BaseKey.Equals(baseKey) && parsed.IdentityKey.Equals(identity)
                && parsed.Message.Serialized.Span.SequenceEqual(inner.Serialized.Span) && parsed.Serialize().AsSpan().SequenceEqual(bytes);
        });
    }

    [Fact]
    public void Sender_key_messages_round_trip()
    {
        var signingKeys = Enumerable.Range(0, 4).Select(_ => EcKeyPair.Generate()).ToArray();
        var inputs = Seed.SelectMany(_ => AnyUInt, (seed, iteration) => (Seed: seed, Iteration: iteration));
        Run("SenderKeyMessage + SKDM", inputs, x =>
        {
            var random = new Random(x.Seed);
            var distribution = new Guid(RandomBytes(random, 16));
            var chainId = (uint)random.Next() >> 1;
            var signing = signingKeys[random.Next(4)];
            var body = RandomBytes(random, random.Next(0, 200));
            var message = SenderKeyMessage.Create(3, distribution, chainId, x.Iteration, body, signing.PrivateKey);
            var parsed = SenderKeyMessage.Deserialize(message.Serialize());
            var chainKey = RandomBytes(random, 32);
            var skdm = SenderKeyDistributionMessage.Create(3, distribution, chainId, x.Iteration, chainKey, signing.PublicKey);
            var parsedSkdm = SenderKeyDistributionMessage.Deserialize(skdm.Serialize());
            return parsed.DistributionId == distribution && parsed.ChainId == chainId && parsed.Iteration == x.Iteration
                && parsed.Ciphertext.Span.SequenceEqual(body) && parsed.VerifySignature(signing.PublicKey)
                && parsed.Serialize().AsSpan().SequenceEqual(message.Serialize())
                && parsedSkdm.DistributionId == distribution && parsedSkdm.ChainId == chainId && parsedSkdm.Iteration == x.Iteration
                && parsedSkdm.ChainKey.SequenceEqual(chainKey) && parsedSkdm.SigningKey.Equals(signing.PublicKey)
                && parsedSkdm.Serialize().AsSpan().SequenceEqual(skdm.Serialize());
        });
    }

    [Fact]
    public void Pre_key_records_round_trip()
    {
        var inputs = Seed.SelectMany(_ => AnyUInt, (seed, id) => (Seed: seed, Id: id));
        Run("PreKeyRecord + SignedPreKeyRecord", inputs, x =>
        {
            var random = new Random(x.Seed);
            var pair = EcKeyPair.FromPrivateKey(EcPrivateKey.Deserialize(RandomBytes(random, 32)));
            var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(0, 4_000_000_000_000));
            var signature = RandomBytes(random, 64);
            var preKey = PreKeyRecord.Deserialize(new PreKeyRecord(x.Id, pair).Serialize());
            var signedBytes = new SignedPreKeyRecord(x.Id, timestamp, pair, signature).Serialize();
            var signed = SignedPreKeyRecord.Deserialize(signedBytes);
            return preKey.Id == x.Id && preKey.KeyPair.PublicKey.Equals(pair.PublicKey) && preKey.KeyPair.PrivateKey.Serialize().AsSpan().SequenceEqual(pair.PrivateKey.Serialize())
                && signed.Id == x.Id && signed.Timestamp == timestamp && signed.Signature.Span.SequenceEqual(signature)
                && signed.Serialize().AsSpan().SequenceEqual(signedBytes);
        });
    }

    [Fact]
    public void Session_records_round_trip()
    {
        Run("SessionRecord", Seed, seed =>
        {
            var random = new Random(seed);
            var record = new SessionRecord();
            var states = random.Next(0, 4);
            for (var i = 0; i < states; i++)
            {
                record.PromoteState(RandomState(random));
            }

            var bytes = record.Serialize();
            var parsed = SessionRecord.Deserialize(bytes);
            return parsed.ArchivedStateCount == Math.Max(0, states - 1) && parsed.HasCurrentState == (states > 0)
                && parsed.Serialize().AsSpan().SequenceEqual(bytes);
        });
    }

    private static SessionState RandomState(Random random)
    {
        var state = new SessionState(4, Identities[random.Next(4)].IdentityKey, Identities[random.Next(4)].IdentityKey, RandomBytes(random, 32), [0x05, .. RandomBytes(random, 32)])
        {
            PreviousCounter = (uint)random.Next(),
            RemoteRegistrationId = (uint)random.Next(),
            LocalRegistrationId = (uint)random.Next(),
            SenderChain = new SenderChain(EcKeyPair.FromPrivateKey(EcPrivateKey.Deserialize(RandomBytes(random, 32))), new ChainKey(RandomBytes(random, 32), (uint)random.Next())),
        };
        for (var c = random.Next(0, 6); c > 0; c--)
        {
            var chain = state.AddReceiverChain(EcPublicKey.FromPublicKeyBytes(RandomBytes(random, 32)), new ChainKey(RandomBytes(random, 32), (uint)random.Next()));
            for (var k = random.Next(0, 20); k > 0; k--)
            {
                chain.MessageKeys.Add(random.Next(4) == 0
                    ? StoredMessageKey.FromParts((uint)random.Next(), RandomBytes(random, 32), RandomBytes(random, 32), RandomBytes(random, 16))
                    : StoredMessageKey.FromSeed((uint)random.Next(), RandomBytes(random, 32)));
            }
        }

        if (random.Next(2) == 0)
        {
            state.PendingPreKey = new PendingPreKey(random.Next(2) == 0 ? null : (uint)random.Next(), (uint)random.Next() << 1, EcPublicKey.FromPublicKeyBytes(RandomBytes(random, 32)), (ulong)random.NextInt64());
            state.PendingKyberPreKey = new PendingKyberPreKey((uint)random.Next(), RandomBytes(random, 1569));
        }

        return state;
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private void Run<T>(string name, Gen<T> generator, Func<T, bool> property, int cases = Cases)
    {
        var stopwatch = Stopwatch.StartNew();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), Prop.ForAll(generator.ToArbitrary(), property));
        output.WriteLine($"{name}: {cases} cases, 0 counterexamples, {stopwatch.Elapsed.TotalSeconds:F1} s");
    }
}

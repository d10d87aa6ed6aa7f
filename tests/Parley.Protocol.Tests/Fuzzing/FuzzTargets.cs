using Parley.Protocol.Groups;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Fuzzing;

/// <summary>The decoders of TESTPLAN B1 with seeds made by real protocol runs (and the libsignal transcripts).</summary>
internal static class FuzzTargets
{
    private static readonly Type[] MessageErrors = [typeof(InvalidMessageException), typeof(UnsupportedMessageVersionException)];
    private static readonly Type[] KeyErrors = [typeof(InvalidKeyException), typeof(BadKeyTypeException)];
    private static readonly Type[] RecordErrors = [typeof(InvalidRecordException)];

    private static readonly Lazy<Task<Seeds>> Cached = new(CreateSeedsAsync);

    public static async Task<FuzzTarget> GetAsync(string name)
    {
        var seeds = await Cached.Value;
        return name switch
        {
            "SignalMessage" => new FuzzTarget(name, seeds.SignalMessages, 1, SignalMessage.MacSize, b => SignalMessage.Deserialize(b), MessageErrors),
            "PreKeySignalMessage" => new FuzzTarget(name, seeds.PreKeyMessages, 1, 0, b => PreKeySignalMessage.Deserialize(b), MessageErrors),
            "SenderKeyMessage" => new FuzzTarget(name, seeds.SenderKeyMessages, 1, SenderKeyMessage.SignatureSize, b => SenderKeyMessage.Deserialize(b), MessageErrors),
            "SenderKeyDistributionMessage" => new FuzzTarget(name, seeds.DistributionMessages, 1, 0, b => SenderKeyDistributionMessage.Deserialize(b), MessageErrors),
            "EcPublicKey" => new FuzzTarget(name, seeds.EcKeys, 1, 0, b => EcPublicKey.Deserialize(b), KeyErrors),
            "KemPublicKey" => new FuzzTarget(name, seeds.KemPublicKeys, 1, 0, b => KemPublicKey.Deserialize(b), KeyErrors),
            "KemSecretKey" => new FuzzTarget(name, seeds.KemSecretKeys, 1, 0, b => KemSecretKey.Deserialize(b), KeyErrors),
            "SessionRecord" => new FuzzTarget(name, seeds.SessionRecords, 0, 0, b => SessionRecord.Deserialize(b).Serialize(), RecordErrors),
            "SenderKeyRecord" => new FuzzTarget(name, seeds.SenderKeyRecords, 0, 0, b => SenderKeyRecord.Deserialize(b).Serialize(), RecordErrors),
            "PreKeyRecord" => new FuzzTarget(name, seeds.PreKeyRecords, 0, 0, b => PreKeyRecord.Deserialize(b).Serialize(), RecordErrors),
            "SignedPreKeyRecord" => new FuzzTarget(name, seeds.SignedPreKeyRecords, 0, 0, b => SignedPreKeyRecord.Deserialize(b).Serialize(), RecordErrors),
            "KyberPreKeyRecord" => new FuzzTarget(name, seeds.KyberPreKeyRecords, 0, 0, b => KyberPreKeyRecord.Deserialize(b).Serialize(), RecordErrors),
            "IdentityKeyPair" => new FuzzTarget(name, seeds.IdentityKeyPairs, 0, 0, b => IdentityKeyPair.Deserialize(b).Serialize(), RecordErrors),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private sealed record Seeds(
        List<byte[]> SignalMessages,
        List<byte[]> PreKeyMessages,
        List<byte[]> SenderKeyMessages,
        List<byte[]> DistributionMessages,
        List<byte[]> EcKeys,
        List<byte[]> KemPublicKeys,
        List<byte[]> KemSecretKeys,
        List<byte[]> SessionRecords,
        List<byte[]> SenderKeyRecords,
        List<byte[]> PreKeyRecords,
        List<byte[]> SignedPreKeyRecords,
        List<byte[]> KyberPreKeyRecords,
        List<byte[]> IdentityKeyPairs);

    private static async Task<Seeds> CreateSeedsAsync()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        var signal = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            signal.Add((await alice.EncryptAsync(bob, new string('x', i * 20))).Serialize());
        }

        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "skip ahead"));
        signal.Add(ProtoEditInsertPq(signal[0]));

        var carol = new TestParty();
        await carol.StartSessionWithAsync(bob);
        var preKey = new List<byte[]> { (await carol.EncryptAsync(bob, "prekey")).Serialize() };
        var dave = new TestParty("dave");
        await dave.StartSessionWithAsync(bob, withOneTimePreKey: false);
        preKey.Add((await dave.EncryptAsync(bob, "prekey without addresses")).Serialize());
        foreach (var file in new[] { "transcript-0.90.0-first-flight.json", "transcript-0.103.0-first-flight.json" })
        {
            preKey.Add(Transcript.Load(file).Messages[0].Body);
        }

        var group = Guid.NewGuid();
        var skdm = await GroupSessionBuilder.CreateDistributionMessageAsync(alice.Address, group, alice.Store);
        await GroupSessionBuilder.ProcessDistributionMessageAsync(alice.Address, skdm, bob.Store);
        var senderKey = new List<byte[]>();
        for (var i = 0; i < 3; i++)
        {
            senderKey.Add((await GroupCipher.EncryptAsync(alice.Address, group, new byte[i * 17], alice.Store)).Serialize());
        }

        await bob.DecryptAsync(alice, SenderKeyMessage.Deserialize(senderKey[^1]));

        var kem = KemKeyPair.Generate();
        var mlKemTyped = kem.PublicKey.Serialize();
        mlKemTyped[0] = 0x0A;
        var ecKey = EcKeyPair.Generate().PublicKey.Serialize();

        await bob.StartSessionWithAsync(alice); // bob's record with alice: an archived state and a pending one
        var records = new List<byte[]>
        {
            (await bob.SessionWithAsync(alice)).Serialize(),
            (await alice.SessionWithAsync(bob)).Serialize(),
            (await carol.SessionWithAsync(bob)).Serialize(),
        };
        var senderKeyRecords = new List<byte[]>
        {
            (await alice.Store.LoadSenderKeyAsync(alice.Address, group, default))!.Serialize(),
            (await bob.Store.LoadSenderKeyAsync(alice.Address, group, default))!.Serialize(),
        };

        return new Seeds(
            signal,
            preKey,
            senderKey,
            [skdm.Serialize()],
            [ecKey, [.. ecKey, 0x01, 0x02]],
            [kem.PublicKey.Serialize(), mlKemTyped],
            [kem.SecretKey.Serialize()],
            records,
            senderKeyRecords,
            [(await bob.Store.LoadPreKeyAsync(2, default))!.Serialize()],
            [(await bob.Store.LoadSignedPreKeyAsync(2, default))!.Serialize()],
            [(await bob.Store.LoadKyberPreKeyAsync(2, default))!.Serialize()],
            [bob.Identity.Serialize()]);
    }

    private static byte[] ProtoEditInsertPq(byte[] message) => ProtoEdit.InsertBeforeMac(message, [0x2A, 0x03, 0x01, 0x01, 0x00]);
}

using Parley.Protocol.Groups;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Protocol.Tests.Support;

/// <summary>One protocol participant with in-memory stores and helpers to publish bundles and exchange messages.</summary>
internal sealed class TestParty
{
    private uint _nextPreKeyId = 1;

    public TestParty(string? name = null, int deviceId = 1, ProtocolEnvironment? environment = null)
    {
        Environment = environment ?? ProtocolEnvironment.System;
        Address = new ProtocolAddress(name ?? Guid.NewGuid().ToString(), deviceId);
        Identity = IdentityKeyPair.Generate(Environment.Random);
        RegistrationId = (uint)Random.Shared.Next(1, 16380);
        Store = new InMemoryProtocolStore(Identity, RegistrationId);
    }

    public ProtocolEnvironment Environment { get; }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemoryProtocolStore Store { get; }

    /// <summary>Publishes fresh pre-keys (stored locally) and returns the bundle.</summary>
    public PreKeyBundle CreateBundle(bool withOneTimePreKey = true, bool lastResortKyber = false)
    {
        var id = _nextPreKeyId++;
        var now = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var signed = SignedPreKeyRecord.Generate(id, Identity, now);
        var kyber = KyberPreKeyRecord.Generate(id, Identity, now);
        Store.StoreSignedPreKeyAsync(id, signed, default).AsTask().GetAwaiter().GetResult();
        if (lastResortKyber)
        {
            Store.KyberPreKeys.StoreLastResortKyberPreKeyAsync(id, kyber, default).AsTask().GetAwaiter().GetResult();
        }
        else
        {
            Store.StoreKyberPreKeyAsync(id, kyber, default).AsTask().GetAwaiter().GetResult();
        }

        PreKeyRecord? oneTime = null;
        if (withOneTimePreKey)
        {
            oneTime = new PreKeyRecord(id, EcKeyPair.Generate(Environment.Random));
            Store.StorePreKeyAsync(id, oneTime, default).AsTask().GetAwaiter().GetResult();
        }

        return new PreKeyBundle(
            RegistrationId,
            Address.DeviceId,
            oneTime?.Id,
            oneTime?.KeyPair.PublicKey,
            signed.Id,
            signed.KeyPair.PublicKey,
            signed.Signature.Span,
            Identity.IdentityKey,
            kyber.Id,
            kyber.KeyPair.PublicKey,
            kyber.Signature.Span);
    }

    public ValueTask ProcessBundleAsync(TestParty peer, PreKeyBundle bundle) =>
        SessionBuilder.ProcessPreKeyBundleAsync(bundle, peer.Address, Store, Store, Environment);

    /// <summary>Fetches the peer's bundle and starts a session with it.</summary>
    public async Task StartSessionWithAsync(TestParty peer, bool withOneTimePreKey = true) =>
        await ProcessBundleAsync(peer, peer.CreateBundle(withOneTimePreKey));

    public async Task<CiphertextMessage> EncryptAsync(TestParty to, string text) =>
        await SessionCipher.EncryptAsync(System.Text.Encoding.UTF8.GetBytes(text), to.Address, Address, Store, Store, Environment);

    public async Task<string> DecryptAsync(TestParty from, CiphertextMessage message) =>
        System.Text.Encoding.UTF8.GetString(await DecryptBytesAsync(from, message.Type, message.Serialize()));

    /// <summary>Decrypts serialized bytes of the given envelope type, as a receiver off the wire would.</summary>
    public async Task<byte[]> DecryptBytesAsync(TestParty from, CiphertextMessageType type, byte[] bytes) => type switch
    {
        CiphertextMessageType.PreKey => await SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(bytes), from.Address, Address, Store, Store, Store, Store, Store, Environment),
        CiphertextMessageType.Whisper => await SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(bytes), from.Address, Address, Store, Store, Environment),
        CiphertextMessageType.SenderKey => await GroupCipher.DecryptAsync(from.Address, SenderKeyMessage.Deserialize(bytes), Store),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public byte[] Snapshot() => Store.ComputeStateDigest();

    public async Task<SessionRecord> SessionWithAsync(TestParty peer) =>
        await Store.LoadSessionAsync(peer.Address, default) ?? throw new InvalidOperationException("no session");

    public override string ToString() => Address.ToString();
}

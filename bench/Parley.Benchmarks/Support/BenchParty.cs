using Parley.Protocol;
using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Benchmarks.Support;

/// <summary>
/// One participant for setting up benchmark state: an identity, in-memory stores (records held serialized, as the
/// libsignal harness's stores do) and shortcuts for bundles and 1:1 messages. Setup code only; never timed.
/// </summary>
public sealed class BenchParty
{
    private static readonly DateTimeOffset KeyTimestamp = DateTimeOffset.UnixEpoch.AddDays(20_000);

    public BenchParty(string name)
    {
        Address = new ProtocolAddress(name, 1);
        Identity = IdentityKeyPair.Generate();
        RegistrationId = (uint)Random.Shared.Next(1, 16380);
        Store = NewStore();
    }

    public ProtocolAddress Address { get; }

    public IdentityKeyPair Identity { get; }

    public uint RegistrationId { get; }

    public InMemoryProtocolStore Store { get; private set; }

    /// <summary>Empty stores for the same identity.</summary>
    public InMemoryProtocolStore NewStore() => new(Identity, RegistrationId);

    /// <summary>Replaces <see cref="Store"/> with empty stores (same identity).</summary>
    public void ResetStore() => Store = NewStore();

    /// <summary>Generates pre-keys with the given id (one-time EC, signed EC, one-time Kyber), without storing them.</summary>
    public PreKeySet CreatePreKeys(uint id) => new(
        new PreKeyRecord(id, EcKeyPair.Generate()),
        SignedPreKeyRecord.Generate(id, Identity, KeyTimestamp),
        KyberPreKeyRecord.Generate(id, Identity, KeyTimestamp));

    /// <summary>Puts a pre-key set into <see cref="Store"/>.</summary>
    public void Publish(PreKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Wait(Store.StorePreKeyAsync(keys.OneTime.Id, keys.OneTime, default));
        Wait(Store.StoreSignedPreKeyAsync(keys.SignedPreKey.Id, keys.SignedPreKey, default));
        Wait(Store.StoreKyberPreKeyAsync(keys.Kyber.Id, keys.Kyber, default));
    }

    /// <summary>The bundle a server would hand out for <paramref name="keys"/>.</summary>
    public PreKeyBundle Bundle(PreKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return new PreKeyBundle(
            RegistrationId,
            Address.DeviceId,
            keys.OneTime.Id,
            keys.OneTime.KeyPair.PublicKey,
            keys.SignedPreKey.Id,
            keys.SignedPreKey.KeyPair.PublicKey,
            keys.SignedPreKey.Signature.Span,
            Identity.IdentityKey,
            keys.Kyber.Id,
            keys.Kyber.KeyPair.PublicKey,
            keys.Kyber.Signature.Span);
    }

    /// <summary>Publishes a fresh pre-key set and returns its bundle.</summary>
    public PreKeyBundle PublishBundle(uint id)
    {
        var keys = CreatePreKeys(id);
        Publish(keys);
        return Bundle(keys);
    }

    public void ProcessBundle(PreKeyBundle bundle, ProtocolAddress remote) =>
        Wait(SessionBuilder.ProcessPreKeyBundleAsync(bundle, remote, Store, Store));

    /// <summary>Encrypts to <paramref name="remote"/> and returns the wire bytes and type.</summary>
    public (CiphertextMessageType Type, byte[] Bytes) Encrypt(ProtocolAddress remote, int size)
    {
        var message = Wait(SessionCipher.EncryptAsync(Payload.Of(size), remote, Address, Store, Store));
        return (message.Type, message.Serialize());
    }

    public byte[] Decrypt(ProtocolAddress remote, (CiphertextMessageType Type, byte[] Bytes) message) => message.Type switch
    {
        CiphertextMessageType.PreKey => Wait(SessionCipher.DecryptPreKeyMessageAsync(
            PreKeySignalMessage.Deserialize(message.Bytes), remote, Address, Store, Store, Store, Store, Store)),
        CiphertextMessageType.Whisper => Wait(SessionCipher.DecryptSignalMessageAsync(
            SignalMessage.Deserialize(message.Bytes), remote, Address, Store, Store)),
        _ => throw new ArgumentOutOfRangeException(nameof(message), message.Type, "not a 1:1 message type"),
    };

    /// <summary>The stored session with <paramref name="remote"/>, serialized.</summary>
    public byte[] SessionBytes(ProtocolAddress remote) =>
        (Wait(Store.LoadSessionAsync(remote, default)) ?? throw new InvalidOperationException($"no session with {remote}")).Serialize();

    /// <summary>Stores the same session record under each address (identical states, one per benchmark invocation).</summary>
    public void StoreSessionCopies(byte[] record, IReadOnlyList<ProtocolAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var address in addresses)
        {
            Wait(Store.StoreSessionAsync(address, SessionRecord.Deserialize(record), default));
        }
    }

    /// <summary>Setup code runs synchronously; the in-memory stores complete at once.</summary>
    public static T Wait<T>(ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    /// <summary>Setup code runs synchronously; the in-memory stores complete at once.</summary>
    public static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();

    /// <summary>Addresses <c>prefix-0</c> … <c>prefix-(count−1)</c>, device 1.</summary>
    public static ProtocolAddress[] Addresses(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ProtocolAddress($"{prefix}-{i}", 1))];
}

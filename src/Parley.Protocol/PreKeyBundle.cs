using Parley.Protocol.Keys;

namespace Parley.Protocol;

/// <summary>
/// A peer device's published keys, as fetched from a directory (PROTOCOL.md §2.5): registration id, device id,
/// identity key, an optional one-time pre-key, a signed pre-key and a signed Kyber1024 pre-key (required).
/// Signatures are verified by <see cref="SessionBuilder.ProcessPreKeyBundleAsync"/>, not here.
/// </summary>
public sealed class PreKeyBundle
{
    private readonly byte[] _signedPreKeySignature;
    private readonly byte[] _kyberPreKeySignature;

    /// <summary>Creates a bundle.</summary>
    /// <exception cref="ArgumentException">Only one of the one-time pre-key id and key is given.</exception>
    public PreKeyBundle(
        uint registrationId,
        int deviceId,
        uint? preKeyId,
        EcPublicKey? preKey,
        uint signedPreKeyId,
        EcPublicKey signedPreKey,
        ReadOnlySpan<byte> signedPreKeySignature,
        IdentityKey identityKey,
        uint kyberPreKeyId,
        KemPublicKey kyberPreKey,
        ReadOnlySpan<byte> kyberPreKeySignature)
    {
        ArgumentNullException.ThrowIfNull(signedPreKey);
        ArgumentNullException.ThrowIfNull(identityKey);
        ArgumentNullException.ThrowIfNull(kyberPreKey);
        if (preKeyId.HasValue != (preKey is not null))
        {
            throw new ArgumentException("A one-time pre-key needs both its id and its key.", nameof(preKey));
        }

        RegistrationId = registrationId;
        DeviceId = deviceId;
        PreKeyId = preKeyId;
        PreKey = preKey;
        SignedPreKeyId = signedPreKeyId;
        SignedPreKey = signedPreKey;
        _signedPreKeySignature = signedPreKeySignature.ToArray();
        IdentityKey = identityKey;
        KyberPreKeyId = kyberPreKeyId;
        KyberPreKey = kyberPreKey;
        _kyberPreKeySignature = kyberPreKeySignature.ToArray();
    }

    /// <summary>The device's registration id.</summary>
    public uint RegistrationId { get; }

    /// <summary>The device id.</summary>
    public int DeviceId { get; }

    /// <summary>The one-time pre-key id, when one was handed out.</summary>
    public uint? PreKeyId { get; }

    /// <summary>The one-time pre-key, when one was handed out.</summary>
    public EcPublicKey? PreKey { get; }

    /// <summary>The signed pre-key id.</summary>
    public uint SignedPreKeyId { get; }

    /// <summary>The signed pre-key.</summary>
    public EcPublicKey SignedPreKey { get; }

    /// <summary>The identity key's signature over the serialized signed pre-key.</summary>
    public ReadOnlyMemory<byte> SignedPreKeySignature => _signedPreKeySignature;

    /// <summary>The device's identity key.</summary>
    public IdentityKey IdentityKey { get; }

    /// <summary>The Kyber pre-key id.</summary>
    public uint KyberPreKeyId { get; }

    /// <summary>The Kyber1024 pre-key.</summary>
    public KemPublicKey KyberPreKey { get; }

    /// <summary>The identity key's signature over the serialized Kyber pre-key.</summary>
    public ReadOnlyMemory<byte> KyberPreKeySignature => _kyberPreKeySignature;

    /// <summary>Ids only.</summary>
    public override string ToString() => $"PreKeyBundle(device {DeviceId}, signed {SignedPreKeyId}, kyber {KyberPreKeyId})";
}

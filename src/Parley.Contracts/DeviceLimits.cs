namespace Parley.Contracts;

/// <summary>Fixed facts about devices and keys that clients and the relay agree on.</summary>
public static class DeviceLimits
{
    /// <summary>The smallest device id.</summary>
    public const int MinDeviceId = 1;

    /// <summary>The largest device id (libsignal's limit).</summary>
    public const int MaxDeviceId = 127;

    /// <summary>The smallest registration id.</summary>
    public const int MinRegistrationId = 1;

    /// <summary>The largest registration id (14-bit, as libsignal generates them).</summary>
    public const int MaxRegistrationId = 16380;

    /// <summary>Length of a device credential (the HTTP Basic password, before base64).</summary>
    public const int CredentialBytes = 32;

    /// <summary>Serialized Curve25519 public key: type byte 0x05 + 32 bytes.</summary>
    public const int EcPublicKeyBytes = 33;

    /// <summary>Type byte of a serialized Curve25519 public key.</summary>
    public const byte EcKeyType = 0x05;

    /// <summary>Serialized Kyber1024 public key: type byte 0x08 + 1568 bytes.</summary>
    public const int KyberPublicKeyBytes = 1569;

    /// <summary>Type byte of a serialized Kyber1024 public key.</summary>
    public const byte KyberKeyType = 0x08;

    /// <summary>XEdDSA signature length.</summary>
    public const int SignatureBytes = 64;
}

namespace Parley.Protocol;

/// <summary>The kinds of pre-key a PreKey message can refer to.</summary>
public enum PreKeyKind
{
    /// <summary>A one-time Curve25519 pre-key.</summary>
    OneTime,

    /// <summary>A signed Curve25519 pre-key.</summary>
    SignedEc,

    /// <summary>A signed Kyber1024 pre-key (one-time or last resort).</summary>
    Kyber,
}

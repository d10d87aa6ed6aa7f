namespace Parley.Crypto.Kem;

/// <summary>Which of the two closely related KEMs to run (PROTOCOL.md §5.3).</summary>
public enum KemVariant
{
    /// <summary>Kyber1024 as submitted to NIST round 3: what libsignal calls Kyber1024 (key type 0x08).</summary>
    Kyber1024,

    /// <summary>ML-KEM-1024 as standardised in FIPS 203 (libsignal's key type 0x0A, not accepted by released libsignal).</summary>
    MlKem1024,
}

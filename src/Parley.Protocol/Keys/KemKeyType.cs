namespace Parley.Protocol.Keys;

/// <summary>
/// KEM key type bytes Parley accepts. Only Kyber1024 (round 3), as in libsignal's shipped builds; ML-KEM-1024
/// (<c>0x0A</c>) and Kyber768 (<c>0x07</c>) are refused with <see cref="BadKeyTypeException"/> (PROTOCOL.md §2.3, §5.3).
/// </summary>
public enum KemKeyType : byte
{
    /// <summary>Kyber1024, round 3.</summary>
    Kyber1024 = 0x08,
}

namespace Parley.Protocol.Ratchet;

/// <summary>
/// A skipped message's key kept for out-of-order delivery: the 32-byte seed (current form), or the expanded
/// cipher key, MAC key and IV that older records hold.
/// </summary>
internal sealed class StoredMessageKey
{
    private StoredMessageKey(uint index, byte[]? seed, byte[]? cipherKey, byte[]? macKey, byte[]? iv)
    {
        Index = index;
        Seed = seed;
        CipherKey = cipherKey;
        MacKey = macKey;
        Iv = iv;
    }

    public uint Index { get; }

    public byte[]? Seed { get; }

    public byte[]? CipherKey { get; }

    public byte[]? MacKey { get; }

    public byte[]? Iv { get; }

    public static StoredMessageKey FromSeed(uint index, byte[] seed) => new(index, seed, null, null, null);

    public static StoredMessageKey FromParts(uint index, byte[] cipherKey, byte[] macKey, byte[] iv) => new(index, null, cipherKey, macKey, iv);

    public MessageKeys ToMessageKeys() => Seed is not null
        ? MessageKeys.FromSeed(Seed, Index)
        : MessageKeys.FromParts(CipherKey!, MacKey!, Iv!, Index);

    public override string ToString() => $"StoredMessageKey(index {Index})";
}

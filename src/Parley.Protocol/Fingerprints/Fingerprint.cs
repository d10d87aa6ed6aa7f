using System.Security.Cryptography;
using Parley.Crypto.Hashing;
using Parley.Protocol.Keys;

namespace Parley.Protocol.Fingerprints;

/// <summary>
/// A safety number for two identities (PROTOCOL.md §9): per side, h₀ = SHA-512(0x00 0x00 ‖ key ‖ id ‖ key), then
/// hᵢ₊₁ = SHA-512(hᵢ ‖ key), <c>iterations</c> hashes in all.
/// </summary>
public sealed class Fingerprint
{
    /// <summary>The iteration count Signal clients and Parley use.</summary>
    public const int DefaultIterations = 5200;

    /// <summary>The version Parley uses (16-byte ACI UUIDs as identifiers).</summary>
    public const int DefaultVersion = 2;

    private Fingerprint(DisplayableFingerprint displayable, ScannableFingerprint scannable)
    {
        Displayable = displayable;
        Scannable = scannable;
    }

    /// <summary>The 60-digit form.</summary>
    public DisplayableFingerprint Displayable { get; }

    /// <summary>The QR-code form.</summary>
    public ScannableFingerprint Scannable { get; }

    /// <summary>Computes the fingerprint for our identity and the peer's.</summary>
    /// <param name="version">The scannable version (1 or 2 in practice; the digests do not depend on it).</param>
    /// <param name="iterations">Hash iterations: more than 1, at most 1,000,000.</param>
    /// <param name="localIdentifier">Our stable identifier bytes (e.g. the 16 ACI UUID bytes).</param>
    /// <param name="localKey">Our identity key.</param>
    /// <param name="remoteIdentifier">The peer's stable identifier bytes.</param>
    /// <param name="remoteKey">The peer's identity key.</param>
    public static Fingerprint Create(
        int version,
        int iterations,
        ReadOnlySpan<byte> localIdentifier,
        IdentityKey localKey,
        ReadOnlySpan<byte> remoteIdentifier,
        IdentityKey remoteKey)
    {
        ArgumentNullException.ThrowIfNull(localKey);
        ArgumentNullException.ThrowIfNull(remoteKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfNegative(version);

        var local = Hash(iterations, localIdentifier, localKey);
        var remote = Hash(iterations, remoteIdentifier, remoteKey);
        return new Fingerprint(new DisplayableFingerprint(local, remote), new ScannableFingerprint(version, local, remote));
    }

    /// <summary>The displayable digits.</summary>
    public override string ToString() => Displayable.ToString();

    private static byte[] Hash(int iterations, ReadOnlySpan<byte> identifier, IdentityKey key)
    {
        // hash = SHA-512(version ‖ key ‖ identifier), then hash = SHA-512(hash ‖ key) `iterations` times; each
        // round hashes one 97-byte buffer, so one libsodium call per round.
        var keyBytes = key.Serialize();
        var hash = new byte[Sha512.HashSize];
        using (var first = new Sha512())
        {
            first.Append([0, 0]);
            first.Append(keyBytes);
            first.Append(identifier);
            first.Append(keyBytes);
            first.FinishAndReset(hash);
        }

        Span<byte> round = stackalloc byte[Sha512.HashSize + 64];
        round = round[..(Sha512.HashSize + keyBytes.Length)];
        keyBytes.CopyTo(round[Sha512.HashSize..]);
        for (var i = 1; i < iterations; i++)
        {
            hash.CopyTo(round);
            Sha512.Hash(round, hash);
        }

        return hash;
    }
}

using System.Text;
using Parley.Protocol;
using Parley.Protocol.Fingerprints;
using Parley.Protocol.Keys;

namespace Parley.Client;

/// <summary>
/// The safety number of two identities, as libsignal computes it (fingerprint version 2, 5200 iterations, each
/// side identified by the UTF-8 bytes of its username): 60 digits both parties see identically, and a
/// scannable form for QR codes.
/// </summary>
public sealed class SafetyNumber : IEquatable<SafetyNumber>
{
    private readonly Fingerprint _fingerprint;

    private SafetyNumber(Fingerprint fingerprint)
    {
        _fingerprint = fingerprint;
        Digits = fingerprint.Displayable.Digits60;
    }

    /// <summary>The 60 digits.</summary>
    public string Digits { get; }

    /// <summary>The 60 digits in 12 groups of 5, separated by spaces.</summary>
    public string Formatted => string.Join(' ', Enumerable.Range(0, 12).Select(i => Digits.Substring(i * 5, 5)));

    /// <summary>Our side's scannable encoding (libsignal's <c>CombinedFingerprints</c>, version 2) for a QR code.</summary>
    public byte[] Scannable() => _fingerprint.Scannable.Serialize();

    /// <summary>Whether <paramref name="displayed"/> (the 60 digits, spaces and dashes allowed) is this number.</summary>
    public bool Matches(string displayed)
    {
        ArgumentNullException.ThrowIfNull(displayed);
        var digits = new string([.. displayed.Where(c => !char.IsWhiteSpace(c) && c != '-')]);
        return string.Equals(digits, Digits, StringComparison.Ordinal);
    }

    /// <summary>Whether the peer's scanned encoding is the mirror of ours; false for anything malformed.</summary>
    public bool MatchesScanned(ReadOnlySpan<byte> theirScannable)
    {
        try
        {
            return _fingerprint.Scannable.Matches(theirScannable);
        }
        catch (ProtocolException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(SafetyNumber? other) => other is not null && string.Equals(Digits, other.Digits, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SafetyNumber);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Digits);

    /// <summary>The formatted digits (public information).</summary>
    public override string ToString() => Formatted;

    /// <summary>The safety number between our identity and a peer's, each named by its username.</summary>
    internal static SafetyNumber Compute(string localName, ReadOnlySpan<byte> localIdentityKey, string remoteName, ReadOnlySpan<byte> remoteIdentityKey) =>
        new(Fingerprint.Create(
            Fingerprint.DefaultVersion,
            Fingerprint.DefaultIterations,
            Encoding.UTF8.GetBytes(localName),
            IdentityKey.Deserialize(localIdentityKey),
            Encoding.UTF8.GetBytes(remoteName),
            IdentityKey.Deserialize(remoteIdentityKey)));
}

namespace Parley.Protocol.Fingerprints;

/// <summary>
/// The 60-digit safety number: 30 digits per side (six 5-byte big-endian chunks, each mod 100 000 as 5 digits),
/// the lexicographically smaller side first so both parties see the same number (PROTOCOL.md §9).
/// </summary>
public sealed class DisplayableFingerprint
{
    internal DisplayableFingerprint(ReadOnlySpan<byte> localHash, ReadOnlySpan<byte> remoteHash)
    {
        var local = Digits(localHash);
        var remote = Digits(remoteHash);
        Digits60 = string.CompareOrdinal(local, remote) <= 0 ? local + remote : remote + local;
    }

    /// <summary>The 60 digits.</summary>
    public string Digits60 { get; }

    /// <summary>The 60 digits.</summary>
    public override string ToString() => Digits60;

    private static string Digits(ReadOnlySpan<byte> hash)
    {
        var builder = new System.Text.StringBuilder(30);
        for (var chunk = 0; chunk < 6; chunk++)
        {
            ulong value = 0;
            for (var i = 0; i < 5; i++)
            {
                value = (value << 8) | hash[(chunk * 5) + i];
            }

            builder.Append((value % 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}

using System.Diagnostics.CodeAnalysis;

namespace Parley.Protocol;

/// <summary>The kind of a <see cref="ServiceId"/>.</summary>
public enum ServiceIdKind
{
    /// <summary>Account identifier: a bare UUID string.</summary>
    Aci = 0,

    /// <summary>Phone-number identifier: <c>PNI:</c> followed by a UUID.</summary>
    Pni = 1,
}

/// <summary>
/// A Signal service identifier parsed from a <see cref="ProtocolAddress"/> name: a hyphenated UUID is an ACI,
/// <c>PNI:</c> plus a hyphenated UUID is a PNI (PROTOCOL.md §2.4).
/// </summary>
public readonly record struct ServiceId(ServiceIdKind Kind, Guid Uuid)
{
    /// <summary>Size of the fixed-width binary form: kind byte plus 16 UUID bytes.</summary>
    public const int FixedWidthSize = 17;

    /// <summary>Parses a ServiceId string; false when the string is neither form.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ServiceId serviceId)
    {
        serviceId = default;
        if (text is null)
        {
            return false;
        }

        var kind = ServiceIdKind.Aci;
        var uuidText = text.AsSpan();
        if (uuidText.StartsWith("PNI:", StringComparison.Ordinal))
        {
            kind = ServiceIdKind.Pni;
            uuidText = uuidText[4..];
        }

        // Exactly the hyphenated 36-character form ("D" format), either case.
        if (uuidText.Length != 36 || !Guid.TryParseExact(uuidText, "D", out var uuid))
        {
            return false;
        }

        serviceId = new ServiceId(kind, uuid);
        return true;
    }

    /// <summary>Writes the 17-byte fixed-width form (kind, then the UUID in RFC 4122 byte order).</summary>
    public void WriteFixedWidth(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, FixedWidthSize);
        destination[0] = (byte)Kind;
        if (!Uuid.TryWriteBytes(destination.Slice(1, 16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("UUID did not fit in 16 bytes.");
        }
    }

    /// <summary>The 17-byte fixed-width form.</summary>
    public byte[] ToFixedWidth()
    {
        var bytes = new byte[FixedWidthSize];
        WriteFixedWidth(bytes);
        return bytes;
    }

    /// <summary>The string form: the UUID for an ACI, <c>PNI:</c> plus the UUID for a PNI.</summary>
    public override string ToString() => Kind == ServiceIdKind.Pni ? $"PNI:{Uuid:D}" : Uuid.ToString("D");
}

using Parley.Testing.Interop;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>Which driver starts the session (the initiator processes the other's bundle) and which answers.</summary>
public sealed record Pairing(DriverKind Initiator, DriverKind Responder)
{
    /// <summary>The name used in test case names and in <c>PARLEY_INTEROP_PAIRING</c>, e.g. "Parley-to-Libsignal".</summary>
    public override string ToString() => $"{Initiator}-to-{Responder}";

    /// <summary>Parses "Parley-to-Libsignal", "parley>libsignal", "parley->libsignal" or "parley-libsignal".</summary>
    public static Pairing Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text.Trim().Replace("->", ">", StringComparison.Ordinal).Replace("-to-", ">", StringComparison.OrdinalIgnoreCase).Replace('-', '>');
        var parts = normalized.Split('>', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2
            || !Enum.TryParse<DriverKind>(parts[0], ignoreCase: true, out var initiator)
            || !Enum.TryParse<DriverKind>(parts[1], ignoreCase: true, out var responder))
        {
            throw new FormatException($"Not a pairing: \"{text}\". Use e.g. Parley-to-Libsignal.");
        }

        return new Pairing(initiator, responder);
    }
}

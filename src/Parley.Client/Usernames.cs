namespace Parley.Client;

/// <summary>
/// Username rules shared with the relay: trimmed and lower-cased, then 3–32 characters of <c>[a-z0-9_]</c>
/// starting with a letter (ASCII only, so look-alikes cannot impersonate a name).
/// </summary>
public static class Usernames
{
    /// <summary>Shortest username.</summary>
    public const int MinLength = 3;

    /// <summary>Longest username.</summary>
    public const int MaxLength = 32;

    /// <summary>The normalised name, or null when <paramref name="raw"/> breaks a rule.</summary>
    public static string? Normalize(string? raw)
    {
        var trimmed = (raw ?? "").Trim();

        // ASCII first, as the relay does: lower-casing could fold a look-alike (U+212A KELVIN SIGN) into 'k'.
        if (!System.Text.Ascii.IsValid(trimmed))
        {
            return null;
        }

        var name = trimmed.ToLowerInvariant();
        if (name.Length is < MinLength or > MaxLength || name[0] is < 'a' or > 'z')
        {
            return null;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return null;
            }
        }

        return name;
    }

    /// <summary>The normalised name; <see cref="ParleyErrorCode.InvalidUsername"/> when it breaks a rule.</summary>
    internal static string Require(string? raw) =>
        Normalize(raw) ?? throw new ParleyException(
            ParleyErrorCode.InvalidUsername, "Invalid username: use 3–32 of a–z, 0–9 and _, starting with a letter.");
}

namespace Parley.Server.Accounts;

/// <summary>
/// Usernames: trimmed and lower-cased (invariant), then 3–32 characters of <c>[a-z0-9_]</c> starting with a
/// letter. ASCII only, so look-alike characters cannot impersonate a name; no dot, so the Basic user
/// <c>{username}.{deviceId}</c> splits unambiguously.
/// </summary>
internal static class UsernameRules
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    /// <summary>The normalised name, or null when it breaks a rule (see <see cref="Explain"/>).</summary>
    public static string? Normalize(string? raw) => Explain(raw, out var name) is null ? name : null;

    /// <summary>Null when valid (with the normalised name), else a sentence saying what is wrong.</summary>
    public static string? Explain(string? raw, out string normalized)
    {
        normalized = "";
        var trimmed = (raw ?? "").Trim();

        // ASCII first: lower-casing non-ASCII could fold a look-alike into an ASCII name (U+212A KELVIN SIGN -> 'k').
        if (!System.Text.Ascii.IsValid(trimmed))
        {
            return "A username has only letters a-z, digits 0-9 and underscores.";
        }

        var name = trimmed.ToLowerInvariant();
        if (name.Length < MinLength || name.Length > MaxLength)
        {
            return $"A username has {MinLength} to {MaxLength} characters.";
        }

        if (name[0] is < 'a' or > 'z')
        {
            return "A username starts with a letter a-z.";
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return "A username has only letters a-z, digits 0-9 and underscores.";
            }
        }

        normalized = name;
        return null;
    }
}

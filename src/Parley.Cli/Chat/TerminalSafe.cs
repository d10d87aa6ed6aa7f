using System.Text;

namespace Parley.Cli.Chat;

/// <summary>
/// Text from a peer is shown on our terminal: control characters (escape sequences could move the cursor,
/// retitle the window or fake a notice) are replaced, tabs and newlines kept.
/// </summary>
internal static class TerminalSafe
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(IsUnsafe(c) ? '\uFFFD' : c);
        }

        return clean.ToString();
    }

    private static bool IsUnsafe(char c) => c != '\n' && c != '\t' && (char.IsControl(c) || c is '\u2028' or '\u2029');
}

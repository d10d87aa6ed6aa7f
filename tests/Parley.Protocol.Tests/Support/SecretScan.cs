namespace Parley.Protocol.Tests.Support;

/// <summary>Checks that text contains no rendering (hex, base64) of any secret.</summary>
internal static class SecretScan
{
    public static IEnumerable<string> Renderings(byte[] secret)
    {
        yield return Convert.ToHexString(secret);
        yield return Convert.ToHexString(secret).ToLowerInvariant();
        yield return Convert.ToBase64String(secret);
        if (secret.Length > 12)
        {
            // A prefix long enough to be unmistakable, in case a printer truncates.
            var prefix = secret[..12];
            yield return Convert.ToHexString(prefix);
            yield return Convert.ToHexString(prefix).ToLowerInvariant();
            yield return Convert.ToBase64String(prefix);
        }
    }

    public static string? FindLeak(string text, IEnumerable<byte[]> secrets)
    {
        foreach (var secret in secrets)
        {
            foreach (var rendering in Renderings(secret))
            {
                if (text.Contains(rendering, StringComparison.Ordinal))
                {
                    return rendering;
                }
            }
        }

        return null;
    }
}

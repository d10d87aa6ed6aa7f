using System.Reflection;
using Parley.Client;
using Parley.Protocol.Keys;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// Reads a profile's private identity key, only so tests can prove it never appears on a page, on the wire or in
/// a log. The SDK rightly offers no public way to do this; the test opens the profile with its passphrase and
/// reads the identity through the SDK's private state (reflection), failing loudly if that shape changes.
/// </summary>
public static class ProfileSecrets
{
    public static async Task<byte[]> IdentityPrivateKeyAsync(string directory, string passphrase)
    {
        await using var client = await ParleyClient.OpenAsync(directory, passphrase);
        var context = typeof(ParleyClient).GetField("_context", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(client)
            ?? throw new InvalidOperationException("ParleyClient._context not found: update ProfileSecrets to the SDK's shape");
        var identity = context.GetType().GetProperty("Identity", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(context) as IdentityKeyPair
            ?? throw new InvalidOperationException("ClientContext.Identity not found: update ProfileSecrets to the SDK's shape");
        return identity.PrivateKey.Serialize();
    }

    /// <summary>The encodings a leaked key could take on a page or in a log.</summary>
    public static IEnumerable<string> Encodings(byte[] secret)
    {
        yield return Convert.ToHexStringLower(secret);
        yield return Convert.ToHexString(secret);
        yield return Convert.ToBase64String(secret);
        yield return Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

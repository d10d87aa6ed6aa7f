using System.Security.Cryptography;
using Parley.Contracts;

namespace Parley.Server.Auth;

/// <summary>Device credentials: 32 random bytes from the OS CSPRNG; the relay stores and compares only SHA-256.</summary>
internal static class DeviceCredential
{
    public static byte[] Generate() => RandomNumberGenerator.GetBytes(DeviceLimits.CredentialBytes);

    public static byte[] Hash(ReadOnlySpan<byte> credential) => SHA256.HashData(credential);

    /// <summary>Constant-time comparison of SHA-256(<paramref name="presented"/>) with the stored hash.</summary>
    public static bool Matches(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(presented, hash);
        var equal = CryptographicOperations.FixedTimeEquals(hash, storedHash);
        CryptographicOperations.ZeroMemory(hash);
        return equal;
    }
}

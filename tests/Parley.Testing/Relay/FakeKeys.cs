using System.Security.Cryptography;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Keys;

namespace Parley.Testing.Relay;

/// <summary>
/// Public keys with the shapes the relay checks (type byte + random bytes) and random signatures. The relay
/// never verifies a signature or uses a key, so these stand in for real keys wherever a test or the load
/// generator only needs accounts and mailboxes.
/// </summary>
public static class FakeKeys
{
    public static byte[] Ec() => Typed(DeviceLimits.EcPublicKeyBytes, DeviceLimits.EcKeyType);

    public static byte[] Kyber() => Typed(DeviceLimits.KyberPublicKeyBytes, DeviceLimits.KyberKeyType);

    public static byte[] Signature() => RandomNumberGenerator.GetBytes(DeviceLimits.SignatureBytes);

    public static SignedPreKey SignedEc(uint id) => new(id, Ec(), Signature());

    public static SignedPreKey SignedKyber(uint id) => new(id, Kyber(), Signature());

    public static IReadOnlyList<PreKey> OneTime(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PreKey(first + (uint)i, Ec()))];

    public static IReadOnlyList<SignedPreKey> OneTimeKyber(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => SignedKyber(first + (uint)i))];

    /// <summary>A registration body for <paramref name="username"/> with optional one-time keys.</summary>
    public static RegisterAccountRequest Registration(string username, int oneTimePreKeys = 0, int oneTimeKyberPreKeys = 0) =>
        new(
            username,
            RandomNumberGenerator.GetInt32(DeviceLimits.MinRegistrationId, DeviceLimits.MaxRegistrationId + 1),
            Ec(),
            SignedEc(1),
            SignedKyber(1000),
            oneTimePreKeys > 0 ? OneTime(1, oneTimePreKeys) : null,
            oneTimeKyberPreKeys > 0 ? OneTimeKyber(2000, oneTimeKyberPreKeys) : null);

    private static byte[] Typed(int length, byte type)
    {
        var key = RandomNumberGenerator.GetBytes(length);
        key[0] = type;
        return key;
    }
}

using System.Security.Cryptography;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Keys;

namespace Parley.Server.Tests.Support;

/// <summary>
/// Keys with the right shapes (type byte + random bytes). The relay only checks shapes, so random bytes are
/// as good as real keys here; real signatures are the clients' business.
/// </summary>
internal static class TestKeys
{
    public static byte[] Ec() => Typed(DeviceLimits.EcPublicKeyBytes, DeviceLimits.EcKeyType);

    public static byte[] KyberKey() => Typed(DeviceLimits.KyberPublicKeyBytes, DeviceLimits.KyberKeyType);

    public static byte[] Signature() => RandomNumberGenerator.GetBytes(DeviceLimits.SignatureBytes);

    public static SignedPreKey Signed(uint id) => new(id, Ec(), Signature());

    public static SignedPreKey Kyber(uint id) => new(id, KyberKey(), Signature());

    public static IReadOnlyList<PreKey> OneTime(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PreKey(first + (uint)i, Ec()))];

    public static IReadOnlyList<SignedPreKey> OneTimeKyber(uint first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Kyber(first + (uint)i))];

    public static RegisterAccountRequest Registration(string username, int oneTimePreKeys = 0, int oneTimeKyberPreKeys = 0) =>
        new(
            username,
            RandomNumberGenerator.GetInt32(1, 16381),
            Ec(),
            Signed(1),
            Kyber(1000),
            oneTimePreKeys > 0 ? OneTime(1, oneTimePreKeys) : null,
            oneTimeKyberPreKeys > 0 ? OneTimeKyber(2000, oneTimeKyberPreKeys) : null);

    private static byte[] Typed(int length, byte type)
    {
        var key = RandomNumberGenerator.GetBytes(length);
        key[0] = type;
        return key;
    }
}

using System.Security.Cryptography;
using Parley.Crypto.Hashing;

namespace Parley.Crypto.Tests.Hashing;

/// <summary>libsodium's SHA-512 against FIPS 180-4 and against .NET's, one-shot and in pieces.</summary>
public sealed class Sha512Tests
{
    [Fact]
    public void The_fips_180_example_abc_hashes_to_its_published_digest()
    {
        var digest = new byte[Sha512.HashSize];
        Sha512.Hash("abc"u8, digest);
        Assert.Equal(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            Convert.ToHexStringLower(digest));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(97)]
    [InlineData(111)]
    [InlineData(112)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(1000)]
    public void One_shot_and_incremental_hashes_equal_dotnets_for_every_split(int length)
    {
        var data = RandomNumberGenerator.GetBytes(length);
        var expected = SHA512.HashData(data);

        var oneShot = new byte[Sha512.HashSize];
        Sha512.Hash(data, oneShot);
        Assert.Equal(expected, oneShot);

        using var hash = new Sha512();
        var digest = new byte[Sha512.HashSize];
        for (var split = 0; split <= length; split += Math.Max(1, length / 7))
        {
            hash.Append(data.AsSpan(0, split));
            hash.Append(data.AsSpan(split));
            hash.FinishAndReset(digest);
            Assert.Equal(expected, digest);
        }
    }

    [Fact]
    public void A_disposed_hash_refuses_further_use()
    {
        var hash = new Sha512();
        hash.Dispose();
        Assert.Throws<ObjectDisposedException>(() => hash.Append([1]));
    }
}

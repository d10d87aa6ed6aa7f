using System.Security.Cryptography;
using System.Text.Json;
using Parley.Crypto.Curve25519;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A1: X25519 against Wycheproof (518) and RFC 7748 (6).
/// Policy for Wycheproof's "acceptable" cases (low-order, twist and non-canonical public keys): never crash, and
/// compute plain RFC 7748 X25519 like libsignal — except that an all-zero shared secret is rejected explicitly
/// (<see cref="X25519.TryAgree"/> returns false and zeroes its output, <see cref="X25519.Agree"/> throws), as libsignal
/// and libsodium both do. Every other case, valid or acceptable, must produce exactly the expected secret.
/// </summary>
public sealed class X25519VectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Wycheproof_cases_match_and_only_all_zero_secrets_are_rejected()
    {
        var vectors = VectorFiles.Json("wycheproof", "x25519_test.json");
        var tally = new VectorTally("wycheproof/x25519_test.json", output);
        int valid = 0, acceptableMatched = 0, zeroRejected = 0;
        foreach (var (_, test) in vectors.Cases())
        {
            var result = test.Text("result");
            var expected = test.Hex("shared");
            var isZero = expected.All(b => b == 0);
            tally.Check(test.CaseId(), () =>
            {
                Assert.NotEqual("invalid", result); // the file has none; an invalid case would need its own rule
                var actual = new byte[32];
                var agreed = X25519.TryAgree(test.Hex("private"), test.Hex("public"), actual);
                if (isZero)
                {
                    Assert.False(agreed);
                    Assert.Equal(new byte[32], actual);
                    Assert.Throws<CryptographicException>(() => X25519.Agree(test.Hex("private"), test.Hex("public")));
                    zeroRejected++;
                    return;
                }

                Assert.True(agreed);
                Assert.Equal(expected, actual);
                if (result == "valid")
                {
                    valid++;
                }
                else
                {
                    acceptableMatched++;
                }
            });
        }

        output.WriteLine($"  valid matched {valid}; acceptable matched {acceptableMatched}; all-zero secrets rejected {zeroRejected}");
        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Rfc7748_single_iterated_and_diffie_hellman_cases_match()
    {
        var vectors = VectorFiles.Json("rfc", "rfc7748_x25519.json");
        var tally = new VectorTally("rfc/rfc7748_x25519.json", output);
        foreach (var test in vectors.GetProperty("x25519_single").GetProperty("tests").EnumerateArray())
        {
            tally.Check("§5.2 single " + test.CaseId(), () =>
                Assert.Equal(test.Hex("output"), X25519.Agree(test.Hex("scalar"), test.Hex("u"))));
        }

        foreach (var test in vectors.GetProperty("x25519_iterated").GetProperty("tests").EnumerateArray())
        {
            var iterations = test.Int("iterations");
            if (iterations > 1000 && !LongTests.Enabled)
            {
                tally.Skip($"§5.2 {iterations:N0} iterations: {LongTests.SkipReason}");
                continue;
            }

            tally.Check($"§5.2 iterated {iterations}", () => Assert.Equal(test.Hex("k"), Iterate(iterations)));
        }

        foreach (var test in vectors.GetProperty("x25519_dh").GetProperty("tests").EnumerateArray())
        {
            tally.Check("§6.1 " + test.CaseId(), () => CheckDiffieHellman(test));
        }

        tally.AssertComplete(6);
    }

    // k = u = 9; repeat: (k, u) = (X25519(k, u), k).
    private static byte[] Iterate(int iterations)
    {
        var k = new byte[32];
        var u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        for (var i = 0; i < iterations; i++)
        {
            var next = X25519.Agree(k, u);
            u = k;
            k = next;
        }

        return k;
    }

    private static void CheckDiffieHellman(JsonElement test)
    {
        Assert.Equal(test.Hex("alice_public"), X25519.PublicKeyFromPrivate(test.Hex("alice_private")));
        Assert.Equal(test.Hex("bob_public"), X25519.PublicKeyFromPrivate(test.Hex("bob_private")));
        Assert.Equal(test.Hex("shared"), X25519.Agree(test.Hex("alice_private"), test.Hex("bob_public")));
        Assert.Equal(test.Hex("shared"), X25519.Agree(test.Hex("bob_private"), test.Hex("alice_public")));
    }
}

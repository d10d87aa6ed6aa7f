using System.Security.Cryptography;
using Parley.Crypto.Symmetric;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>TESTPLAN A4: HMAC-SHA256 (Wycheproof 174) and HKDF-SHA256 (Wycheproof 86 + RFC 5869 3) through <see cref="Kdf"/>.</summary>
public sealed class MacAndKdfVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Wycheproof_hmac_sha256_tags_match_and_modified_tags_do_not()
    {
        var vectors = VectorFiles.Json("wycheproof", "hmac_sha256_test.json");
        var tally = new VectorTally("wycheproof/hmac_sha256_test.json", output);
        foreach (var (group, test) in vectors.Cases())
        {
            // Tags are truncated to the group's tagSize (128 or 256 bits), as Signal truncates its MAC to 8 bytes.
            var tagBytes = group.Int("tagSize") / 8;
            tally.Check($"{test.CaseId()} tag {tagBytes * 8}", () =>
            {
                var full = Kdf.HmacSha256(test.Hex("key"), test.Hex("msg"));
                var matches = CryptographicOperations.FixedTimeEquals(full.AsSpan(0, tagBytes), test.Hex("tag"));
                Assert.Equal(test.Text("result") == "valid", matches);
            });
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Wycheproof_hkdf_sha256_outputs_match_and_oversized_requests_are_refused()
    {
        var vectors = VectorFiles.Json("wycheproof", "hkdf_sha256_test.json");
        var tally = new VectorTally("wycheproof/hkdf_sha256_test.json", output);
        foreach (var (_, test) in vectors.Cases())
        {
            tally.Check($"{test.CaseId()} {string.Join(",", test.Flags())}", () =>
            {
                var size = test.Int("size");
                if (test.Text("result") == "valid")
                {
                    Assert.Equal(test.Hex("okm"), Kdf.HkdfSha256(test.Hex("ikm"), test.Hex("salt"), test.Hex("info"), size));
                }
                else
                {
                    // SizeTooLarge: more than 255 · 32 bytes.
                    Assert.Throws<ArgumentOutOfRangeException>(() => Kdf.HkdfSha256(test.Hex("ikm"), test.Hex("salt"), test.Hex("info"), size));
                }
            });
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Rfc5869_sha256_cases_match_including_the_prk()
    {
        var vectors = VectorFiles.Json("rfc", "rfc5869_hkdf_sha256.json");
        var tally = new VectorTally("rfc/rfc5869_hkdf_sha256.json", output);
        foreach (var test in vectors.GetProperty("tests").EnumerateArray())
        {
            tally.Check(test.Text("name"), () =>
            {
                var salt = test.Hex("salt");
                // PRK = HMAC(salt, IKM), with the empty salt standing for 32 zero bytes.
                Assert.Equal(test.Hex("prk"), Kdf.HmacSha256(salt.Length == 0 ? new byte[32] : salt, test.Hex("ikm")));
                Assert.Equal(test.Hex("okm"), Kdf.HkdfSha256(test.Hex("ikm"), salt, test.Hex("info"), test.Int("L")));
            });
        }

        tally.AssertComplete(3);
    }
}

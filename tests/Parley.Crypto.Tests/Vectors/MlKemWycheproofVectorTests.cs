using System.Security.Cryptography;
using System.Text.Json;
using Parley.Crypto.Kem;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A6: the four Wycheproof ML-KEM-1024 files (vectors/wycheproof). "valid" cases must produce the
/// expected values; "invalid" cases (wrong lengths, unreduced keys, corrupt secret keys) must be rejected with
/// <see cref="CryptographicException"/>.
/// </summary>
public sealed class MlKemWycheproofVectorTests(ITestOutputHelper output)
{
    private const KemVariant MlKem = KemVariant.MlKem1024;

    [Fact]
    public void Decaps_from_seed_file_matches_all_cases()
    {
        Run("mlkem_1024_test.json", test =>
        {
            var c = test.Hex("c");
            if (test.Text("result") == "valid")
            {
                var pair = Kem1024.GenerateKeyPairFromSeed(MlKem, test.Hex("seed"));
                Assert.Equal(test.Hex("ek"), pair.PublicKey);
                Assert.Equal(test.Hex("K"), Kem1024.Decapsulate(MlKem, pair.SecretKey, c));
                return;
            }

            // Invalid: a seed of the wrong length (rejected at expansion) or a ciphertext of the wrong length.
            Assert.Throws<CryptographicException>(() =>
            {
                var pair = Kem1024.GenerateKeyPairFromSeed(MlKem, test.Hex("seed"));
                Kem1024.Decapsulate(MlKem, pair.SecretKey, c);
            });
        });
    }

    [Fact]
    public void Encaps_file_matches_all_cases()
    {
        Run("mlkem_1024_encaps_test.json", test =>
        {
            var ek = test.Hex("ek");
            var m = test.Hex("m");
            if (test.Text("result") == "valid")
            {
                Assert.True(Kem1024.IsValidPublicKey(ek));
                var (ciphertext, sharedSecret) = Kem1024.Encapsulate(MlKem, ek, m);
                Assert.Equal(test.Hex("c"), ciphertext);
                Assert.Equal(test.Hex("K"), sharedSecret);
                return;
            }

            Assert.False(Kem1024.IsValidPublicKey(ek));
            Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(MlKem, ek, m));
            // The Kyber variant applies the same modulus and length checks (libsignal's libcrux does too).
            Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(KemVariant.Kyber1024, ek, m));
        });
    }

    [Fact]
    public void KeyGen_from_seed_file_matches_all_cases()
    {
        Run("mlkem_1024_keygen_seed_test.json", test =>
        {
            Assert.Equal("valid", test.Text("result"));
            var pair = Kem1024.GenerateKeyPairFromSeed(MlKem, test.Hex("seed"));
            Assert.Equal(test.Hex("ek"), pair.PublicKey);
            Assert.Equal(test.Hex("dk"), pair.SecretKey);
        });
    }

    [Fact]
    public void Semi_expanded_decaps_file_matches_all_cases()
    {
        Run("mlkem_1024_semi_expanded_decaps_test.json", test =>
        {
            var dk = test.Hex("dk");
            var c = test.Hex("c");
            if (test.Text("result") == "valid")
            {
                Assert.Equal(test.Hex("K"), Kem1024.Decapsulate(MlKem, dk, c));
                return;
            }

            Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(MlKem, dk, c));
        });
    }

    private void Run(string file, Action<JsonElement> check)
    {
        var vectors = VectorFiles.Json("wycheproof", file);
        var tally = new VectorTally("wycheproof/" + file, output);
        foreach (var (group, test) in vectors.Cases())
        {
            Assert.Equal("ML-KEM-1024", group.Text("parameterSet"));
            tally.Check(test.CaseId(), () => check(test));
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }
}

using System.Security.Cryptography;
using System.Text.Json;
using Parley.Crypto.Kem;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>TESTPLAN A6: NIST ACVP ML-KEM-1024 (vectors/acvp-mlkem1024, SOURCES.md §2a), every group of every file.</summary>
public sealed class MlKemAcvpVectorTests(ITestOutputHelper output)
{
    private const KemVariant MlKem = KemVariant.MlKem1024;

    [Fact]
    public void KeyGen_from_d_and_z_matches_all_AFT_cases()
    {
        const string file = "ML-KEM-1024-keyGen-FIPS203.json";
        var vectors = VectorFiles.Json("acvp-mlkem1024", file);
        var tally = new VectorTally("acvp " + file, output);
        foreach (var (group, test) in vectors.Cases())
        {
            Assert.Equal("ML-KEM-1024", group.Text("parameterSet"));
            tally.Check(CaseId(test), () =>
            {
                var pair = Kem1024.GenerateKeyPair(MlKem, test.Hex("d"), test.Hex("z"));
                Assert.Equal(test.Hex("ek"), pair.PublicKey);
                Assert.Equal(test.Hex("dk"), pair.SecretKey);
            });
        }

        tally.AssertComplete(25);
    }

    [Theory]
    [InlineData("ML-KEM-1024-encapDecap-FIPS203.json", 55)]
    [InlineData("ML-KEM-1024-encapDecap-FIPS203-tr1.json", 65)]
    public void EncapDecap_file_passes_every_group(string file, int cases)
    {
        var vectors = VectorFiles.Json("acvp-mlkem1024", file);
        var tally = new VectorTally("acvp " + file, output);
        foreach (var (group, test) in vectors.Cases())
        {
            Assert.Equal("ML-KEM-1024", group.Text("parameterSet"));
            var function = group.Text("function");
            var keyFormat = group.TryGetProperty("keyFormat", out var format) ? format.GetString() : null;
            tally.Check($"{function}/{keyFormat ?? "-"} {CaseId(test)}", () => RunCase(function, keyFormat, test));
        }

        tally.AssertComplete(cases);
    }

    private static void RunCase(string function, string? keyFormat, JsonElement test)
    {
        switch (function)
        {
            case "encapsulation":
                var (ciphertext, sharedSecret) = Kem1024.Encapsulate(MlKem, test.Hex("ek"), test.Hex("m"));
                Assert.Equal(test.Hex("c"), ciphertext);
                Assert.Equal(test.Hex("k"), sharedSecret);
                // The same case read backwards: Decaps(dk, c) = K.
                Assert.Equal(test.Hex("k"), Kem1024.Decapsulate(MlKem, test.Hex("dk"), ciphertext));
                break;

            case "decapsulation":
                var secretKey = test.Hex("dk");
                if (keyFormat == "seed")
                {
                    // The decapsulation key is given as its seed (d, z); expand it and check the expansion too.
                    var pair = Kem1024.GenerateKeyPair(MlKem, test.Hex("d"), test.Hex("z"));
                    Assert.Equal(secretKey, pair.SecretKey);
                    Assert.Equal(test.Hex("ek"), pair.PublicKey);
                    secretKey = pair.SecretKey;
                }

                // VAL cases include modified ciphertexts: the expected K is then the implicit-rejection key.
                Assert.Equal(test.Hex("k"), Kem1024.Decapsulate(MlKem, secretKey, test.Hex("c")));
                break;

            case "decapsulationKeyCheck":
                var dk = test.Hex("dk");
                var valid = test.Bool("testPassed");
                Assert.Equal(valid, Kem1024.IsValidSecretKey(dk));
                if (!valid)
                {
                    Assert.Throws<CryptographicException>(() => Kem1024.Decapsulate(MlKem, dk, new byte[Kem1024.CiphertextSize]));
                }

                break;

            case "encapsulationKeyCheck":
                var ek = test.Hex("ek");
                var acceptable = test.Bool("testPassed");
                Assert.Equal(acceptable, Kem1024.IsValidPublicKey(ek));
                if (acceptable)
                {
                    Assert.Equal(Kem1024.CiphertextSize, Kem1024.Encapsulate(MlKem, ek).Ciphertext.Length);
                }
                else
                {
                    Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(MlKem, ek));
                }

                break;

            default:
                throw new InvalidOperationException($"Unknown ACVP function '{function}': the harness must learn it, not skip it.");
        }
    }

    private static string CaseId(JsonElement test) => "tcId " + test.GetProperty("tcId").ToString();
}

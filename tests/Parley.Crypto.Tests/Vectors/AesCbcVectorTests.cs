using Parley.Crypto.Symmetric;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A4: Wycheproof AES-CBC-PKCS5 (216) through <see cref="AesCbc"/>. AES-256 groups use the public API;
/// the 128/192-bit groups use its internal any-key-size entry points (same code path after the key-size check).
/// Every invalid case (141 bad paddings, 3 without padding) must fail the same way: a null result, so no padding
/// oracle is visible to the caller.
/// </summary>
public sealed class AesCbcVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void Wycheproof_cases_encrypt_decrypt_and_reject_bad_padding_uniformly()
    {
        var vectors = VectorFiles.Json("wycheproof", "aes_cbc_pkcs5_test.json");
        var tally = new VectorTally("wycheproof/aes_cbc_pkcs5_test.json", output);
        foreach (var (group, test) in vectors.Cases())
        {
            var aes256 = group.Int("keySize") == 256;
            tally.Check($"{test.CaseId()} AES-{group.Int("keySize")} {string.Join(",", test.Flags())}", () =>
            {
                var key = test.Hex("key");
                var iv = test.Hex("iv");
                var ciphertext = test.Hex("ct");
                var decrypted = aes256 ? AesCbc.TryDecrypt(key, iv, ciphertext) : AesCbc.TryDecryptWithAnyAesKey(key, iv, ciphertext);
                if (test.Text("result") == "valid")
                {
                    Assert.Equal(test.Hex("msg"), decrypted);
                    Assert.Equal(ciphertext, aes256 ? AesCbc.Encrypt(key, iv, test.Hex("msg")) : AesCbc.EncryptWithAnyAesKey(key, iv, test.Hex("msg")));
                }
                else
                {
                    Assert.Null(decrypted);
                }
            });
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Public_api_refuses_keys_other_than_256_bits()
    {
        Assert.Throws<ArgumentException>(() => AesCbc.Encrypt(new byte[16], new byte[16], [1]));
        Assert.Throws<ArgumentException>(() => AesCbc.TryDecrypt(new byte[24], new byte[16], new byte[16]));
        Assert.Throws<ArgumentException>(() => AesCbc.Encrypt(new byte[32], new byte[12], [1]));
    }
}

using System.Security.Cryptography;
using Parley.Crypto.Kem;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>TESTPLAN A6: the C2SP CCTV ML-KEM-1024 vectors (vectors/cctv-mlkem, SOURCES.md §2b).</summary>
/// <remarks>
/// The intermediate and unlucky-sample files were generated for the FIPS 203 <em>draft</em> (August 2023), whose
/// K-PKE.KeyGen expands (ρ, σ) = G(d) without the final standard's k byte; their ρ and σ prove it. That expansion is
/// exactly Kyber round 3's, so those keys come from the <see cref="KemVariant.Kyber1024"/> KeyGen, while
/// Encaps/Decaps (unchanged between draft and standard) run as <see cref="KemVariant.MlKem1024"/>.
/// </remarks>
public sealed class MlKemCctvVectorTests(ITestOutputHelper output)
{
    private const KemVariant MlKem = KemVariant.MlKem1024;
    private const KemVariant DraftKeyGen = KemVariant.Kyber1024;
    private const int N = KemParameters.N;
    private const int K = KemParameters.K;

    [Fact]
    public void Every_encapsulation_key_with_an_unreduced_coefficient_is_rejected()
    {
        var keys = VectorFiles.Lines("cctv-mlkem", "modulus_ML-KEM-1024.txt.gz").Where(l => l.Length > 0).ToArray();
        var tally = new VectorTally("cctv-mlkem/modulus_ML-KEM-1024.txt.gz", output);
        for (var i = 0; i < keys.Length; i++)
        {
            var ek = Convert.FromHexString(keys[i]);
            tally.Check($"line {i + 1}", () =>
            {
                Assert.Equal(Kem1024.PublicKeySize, ek.Length);
                Assert.False(Kem1024.IsValidPublicKey(ek));
                Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(MlKem, ek));
                Assert.Throws<CryptographicException>(() => Kem1024.Encapsulate(KemVariant.Kyber1024, ek));
            });
        }

        tally.AssertComplete(1040);
    }

    [Fact]
    public void Strcmp_vector_decapsulates_to_the_expected_key()
    {
        // A ciphertext whose re-encryption differs only after a zero byte: catches an early-exit comparison.
        var v = Single("strcmp_ML-KEM-1024.txt");
        var tally = new VectorTally("cctv-mlkem/strcmp_ML-KEM-1024.txt", output);
        tally.Check("strcmp", () => Assert.Equal(Hex(v, "K"), Kem1024.Decapsulate(MlKem, Hex(v, "dk"), Hex(v, "c"))));
        tally.AssertComplete(1);
    }

    [Fact]
    public void Unlucky_sample_vector_needing_more_than_575_xof_bytes_matches()
    {
        var v = Single("unluckysample_ML-KEM-1024.txt");
        var tally = new VectorTally("cctv-mlkem/unluckysample_ML-KEM-1024.txt", output);
        tally.Check("unlucky", () =>
        {
            var pair = Kem1024.GenerateKeyPair(DraftKeyGen, Hex(v, "d"), Hex(v, "z"));
            Assert.Equal(Hex(v, "ek"), pair.PublicKey);
            Assert.Equal(Hex(v, "dk"), pair.SecretKey);
            var (ciphertext, sharedSecret) = Kem1024.Encapsulate(MlKem, pair.PublicKey, Hex(v, "m"));
            Assert.Equal(Hex(v, "c"), ciphertext);
            Assert.Equal(Hex(v, "K"), sharedSecret);
            Assert.Equal(Hex(v, "K"), Kem1024.Decapsulate(MlKem, pair.SecretKey, ciphertext));
        });
        tally.AssertComplete(1);
    }

    /// <summary>
    /// The full trace of one KeyGen/Encaps/Decaps. The final values go through the public API; the intermediate
    /// ones are rebuilt from the internal building blocks, so a mismatch points at the step that broke.
    /// </summary>
    [Fact]
    public void Intermediate_values_trace_matches_step_by_step()
    {
        // Lines read "name = hex" or "name = {decimal list} = hex" (some only "name = {decimal list}").
        var trace = VectorFiles.Lines("cctv-mlkem", "intermediate_ML-KEM-1024.txt")
            .Select(l => l.Split(" = "))
            .Where(parts => parts.Length >= 2)
            .Select(parts => (Name: parts[0], Hex: parts[^1].StartsWith('{') ? null : parts[^1], List: parts.FirstOrDefault(p => p.StartsWith('{'))))
            .ToList();
        // Names repeat (r = the coins, then r = the noise vector), so values are looked up by occurrence.
        byte[] Bytes(string name, int occurrence = 0) => Convert.FromHexString(trace.Where(t => t.Name == name).ElementAt(occurrence).Hex!);
        short[] Numbers(string name) =>
            [.. trace.Single(t => t.Name == name).List!.Trim('{', '}').Split(',').Select(s => short.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

        var tally = new VectorTally("cctv-mlkem/intermediate_ML-KEM-1024.txt", output);
        var d = Bytes("d");
        var z = Bytes("z");
        var m = Bytes("m");
        var rhoSigma = SHA3_512.HashData(d); // FIPS 203 draft: no k byte (see the class remarks)
        var rho = rhoSigma[..32];
        var sigma = rhoSigma[32..];
        tally.Check("ρ, σ = G(d)", () =>
        {
            Assert.Equal(Bytes("ρ"), rho);
            Assert.Equal(Bytes("σ"), sigma);
        });

        tally.Check("A[0, 0], A and Aᵀ by SampleNTT", () =>
        {
            var entry = new short[N];
            Sampling.SampleNtt(rho, 0, 0, entry);
            Assert.Equal(Numbers("A[0, 0]"), entry);
            var a = new List<byte>();
            var aTransposed = new List<byte>();
            for (var i = 0; i < K; i++)
            {
                for (var j = 0; j < K; j++)
                {
                    Sampling.SampleNtt(rho, (byte)j, (byte)i, entry);
                    a.AddRange(Encode12(entry));
                    Sampling.SampleNtt(rho, (byte)i, (byte)j, entry);
                    aTransposed.AddRange(Encode12(entry));
                }
            }

            Assert.Equal(Bytes("A"), a.ToArray());
            Assert.Equal(Bytes("A^T"), aTransposed.ToArray());
        });

        var s = NoiseVector(sigma, 0);
        var e = NoiseVector(sigma, K);
        tally.Check("s, e by SamplePolyCBD and their NTTs", () =>
        {
            Assert.Equal(Numbers("s[0]"), s[0].Select(FieldArithmetic.Canonical).ToArray());
            Assert.Equal(Bytes("s"), EncodeVector(s));
            Assert.Equal(Bytes("e"), EncodeVector(e));
            Ntt.Forward(s[0]);
            Assert.Equal(Numbers("NTT(s[0])"), s[0].Select(FieldArithmetic.Canonical).ToArray());
            for (var i = 1; i < K; i++)
            {
                Ntt.Forward(s[i]);
            }

            Assert.Equal(Bytes("dkPKE"), EncodeVector(s));
            foreach (var poly in e)
            {
                Ntt.Forward(poly);
            }

            Assert.Equal(Bytes("NTT(e)"), EncodeVector(e));
        });

        var pair = Kem1024.GenerateKeyPair(DraftKeyGen, d, z);
        tally.Check("t, ek, H(ek), dk", () =>
        {
            Assert.Equal(Bytes("t"), pair.PublicKey[..1536]);
            Assert.Equal(Bytes("ek"), pair.PublicKey);
            Assert.Equal(Bytes("H(ek)"), SHA3_256.HashData(pair.PublicKey));
            Assert.Equal(Bytes("dk"), pair.SecretKey);
        });

        var keyAndCoins = SHA3_512.HashData([.. m, .. SHA3_256.HashData(pair.PublicKey)]);
        var coins = keyAndCoins[32..];
        var y = NoiseVector(coins, 0);
        var e1 = NoiseVector(coins, K);
        var e2 = NoiseVector(coins, 2 * K, 1)[0];
        tally.Check("K, r = G(m ‖ H(ek)); μ; r, e1, e2 and NTT(r)", () =>
        {
            Assert.Equal(Bytes("K"), keyAndCoins[..32]);
            Assert.Equal(Bytes("r", 0), coins);
            var mu = new short[N];
            PolynomialEncoding.DecodeAndDecompress(m, 1, mu);
            Assert.Equal(Bytes("μ"), Encode12(mu));
            Assert.Equal(Bytes("r", 1), EncodeVector(y));
            Assert.Equal(Bytes("e1"), EncodeVector(e1));
            Assert.Equal(Bytes("e2"), Encode12(e2));
            foreach (var poly in y)
            {
                Ntt.Forward(poly);
            }

            Assert.Equal(Bytes("NTT(r)"), EncodeVector(y));
        });

        tally.Check("u, u[0], compress(u[0]), v, compress(v)", () =>
        {
            var u = new short[K][];
            var entry = new short[N];
            for (var i = 0; i < K; i++)
            {
                u[i] = new short[N];
                for (var j = 0; j < K; j++)
                {
                    Sampling.SampleNtt(rho, (byte)i, (byte)j, entry);
                    Ntt.MultiplyAccumulate(u[i], entry, y[j]);
                }

                ReduceAndInvert(u[i]);
                Add(u[i], e1[i]);
            }

            Assert.Equal(Bytes("u"), EncodeVector(u));
            Assert.Equal(Numbers("u[0]"), u[0].Select(FieldArithmetic.Canonical).ToArray());
            Assert.Equal(Numbers("compress(u[0])"), u[0].Select(c => PolynomialEncoding.Compress(FieldArithmetic.Canonical(c), KemParameters.Du)).ToArray());

            var v = new short[N];
            var t = new short[N];
            for (var j = 0; j < K; j++)
            {
                PolynomialEncoding.Decode12(pair.PublicKey.AsSpan(j * 384, 384), t);
                Ntt.MultiplyAccumulate(v, t, y[j]);
            }

            ReduceAndInvert(v);
            Add(v, e2);
            var mu = new short[N];
            PolynomialEncoding.DecodeAndDecompress(m, 1, mu);
            Add(v, mu);
            Assert.Equal(Numbers("v"), v.Select(FieldArithmetic.Canonical).ToArray());
            Assert.Equal(Numbers("compress(v)"), v.Select(c => PolynomialEncoding.Compress(FieldArithmetic.Canonical(c), KemParameters.Dv)).ToArray());
        });

        var (ciphertext, sharedSecret) = Kem1024.Encapsulate(MlKem, pair.PublicKey, m);
        tally.Check("c1, c2, c and K from Encaps", () =>
        {
            Assert.Equal(Bytes("c1"), ciphertext[..1408]);
            Assert.Equal(Bytes("c2"), ciphertext[1408..]);
            Assert.Equal(Bytes("c"), ciphertext);
            Assert.Equal(Bytes("K"), sharedSecret);
        });

        tally.Check("uᵈ, NTT(uᵈ), vᵈ, w, K̄ and K from Decaps", () =>
        {
            var uPrime = new short[K][];
            for (var i = 0; i < K; i++)
            {
                uPrime[i] = new short[N];
                PolynomialEncoding.DecodeAndDecompress(ciphertext.AsSpan(i * 352, 352), KemParameters.Du, uPrime[i]);
            }

            Assert.Equal(Bytes("uᵈ"), EncodeVector(uPrime));
            var product = new short[N];
            var secret = new short[N];
            for (var i = 0; i < K; i++)
            {
                Ntt.Forward(uPrime[i]);
                PolynomialEncoding.Decode12(pair.SecretKey.AsSpan(i * 384, 384), secret);
                Ntt.MultiplyAccumulate(product, secret, uPrime[i]);
            }

            Assert.Equal(Bytes("NTT(uᵈ)"), EncodeVector(uPrime));
            var vPrime = new short[N];
            PolynomialEncoding.DecodeAndDecompress(ciphertext.AsSpan(1408), KemParameters.Dv, vPrime);
            Assert.Equal(Bytes("vᵈ"), Encode12(vPrime));
            ReduceAndInvert(product);
            var w = vPrime.Zip(product, (a, b) => (short)(a - b)).ToArray();
            Assert.Equal(Bytes("w"), Encode12(w));
            Assert.Equal(Bytes("KBar"), Shake256.HashData([.. z, .. ciphertext], 32));
            Assert.Equal(Bytes("K"), Kem1024.Decapsulate(MlKem, pair.SecretKey, ciphertext));
        });

        tally.AssertComplete(8);
    }

    private static Dictionary<string, string> Single(string file)
    {
        var records = VectorFiles.KeyValueRecords("cctv-mlkem", file);
        return Assert.Single(records);
    }

    private static byte[] Hex(Dictionary<string, string> record, string name) => Convert.FromHexString(record[name]);

    private static short[][] NoiseVector(byte[] seed, int firstNonce, int count = K)
    {
        var vector = new short[count][];
        var noise = new byte[KemParameters.NoiseBytes];
        for (var i = 0; i < count; i++)
        {
            vector[i] = new short[N];
            KemHashes.Prf(seed, (byte)(firstNonce + i), noise);
            Sampling.SampleCenteredBinomial2(noise, vector[i]);
        }

        return vector;
    }

    private static byte[] Encode12(short[] polynomial)
    {
        var bytes = new byte[KemParameters.PolynomialBytes];
        PolynomialEncoding.Encode12(polynomial, bytes);
        return bytes;
    }

    private static byte[] EncodeVector(short[][] vector) => [.. vector.SelectMany(Encode12)];

    private static void ReduceAndInvert(short[] polynomial)
    {
        for (var c = 0; c < N; c++)
        {
            polynomial[c] = FieldArithmetic.BarrettReduce(polynomial[c]);
        }

        Ntt.Inverse(polynomial);
    }

    private static void Add(short[] accumulator, short[] term)
    {
        for (var c = 0; c < N; c++)
        {
            accumulator[c] += term[c];
        }
    }
}

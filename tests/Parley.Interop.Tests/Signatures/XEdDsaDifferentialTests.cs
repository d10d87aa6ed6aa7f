using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Parley.Crypto.Curve25519;
using Parley.Interop.Tests.Infrastructure;
using Parley.Testing.Interop;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Signatures;

/// <summary>
/// TESTPLAN A3, second half: Parley's <c>XEdDsa.Verify</c> and libsignal's
/// <c>PublicKey.verify</c> (through the Node driver's <c>xeddsa_verify_batch</c>) must give the same answer on
/// more than 10^4 inputs: honest signatures from both, random mutations, and crafted edge cases.
/// </summary>
public sealed class XEdDsaDifferentialTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    private const int BatchSize = 1000;
    private static readonly BigInteger P = EdwardsPoint.P;
    private static readonly BigInteger L = EdwardsPoint.L;

    [Fact]
    public async Task Parley_and_libsignal_agree_on_every_XEdDSA_verification()
    {
        var seedText = Environment.GetEnvironmentVariable(Conversation.SeedVariable);
        var seed = string.IsNullOrEmpty(seedText) ? Random.Shared.Next() : int.Parse(seedText, CultureInfo.InvariantCulture);
        output.WriteLine($"seed {seed} (set {Conversation.SeedVariable} to replay)");
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        var book = new XEdDsaCaseBuilder(random);
        await using var libsignal = Drivers.Start(DriverKind.Libsignal);

        var honest = new List<XEdDsaCase>();
        await AddHonestLibsignalSignaturesAsync(libsignal, book, honest, keys: 250, perKey: 4);
        AddHonestParleySignatures(book, honest, keys: 250, perKey: 4);
        AddPublicKeysWithBit255Set(book, honest, count: 300);
        AddMutations(book, honest, count: 4500, random);
        AddScalarEdgeCases(book, honest, count: 300);
        AddIdentityAndNonCanonicalR(book, honest, random, keys: 100);
        AddMinusOne(book, honest, count: 100);
        AddLowOrderKeys(book, random);
        AddMixedOrderKeys(book, random, perTorsionPoint: 45);
        AddRandomJunk(book, count: 500);
        var built = clock.Elapsed;

        var cases = book.Cases;
        var libsignalResults = new List<bool>(cases.Count);
        foreach (var batch in cases.Chunk(BatchSize))
        {
            libsignalResults.AddRange(await VerifyWithLibsignalAsync(libsignal, batch));
        }

        var divergences = new List<string>();
        var unexpected = new List<string>();
        var byCategory = new SortedDictionary<string, (int Count, int LibsignalAccepted, int ParleyAccepted)>(StringComparer.Ordinal);
        for (var i = 0; i < cases.Count; i++)
        {
            var item = cases[i];
            var parley = XEdDsa.Verify(item.PublicKey.AsSpan(1), item.Message, item.Signature);
            var theirs = libsignalResults[i];
            var (count, libsignalAccepted, parleyAccepted) = byCategory.GetValueOrDefault(item.Category);
            byCategory[item.Category] = (count + 1, libsignalAccepted + (theirs ? 1 : 0), parleyAccepted + (parley ? 1 : 0));
            if (parley != theirs)
            {
                divergences.Add($"Parley {parley}, libsignal {theirs}: {item.Describe()}");
            }

            if (item.Expected is { } expected && theirs != expected)
            {
                unexpected.Add($"libsignal {theirs}, PROTOCOL.md §3.2 says {expected}: {item.Describe()}");
            }
        }

        foreach (var (category, (count, libsignalAccepted, parleyAccepted)) in byCategory)
        {
            output.WriteLine($"{category,-58} {count,5} cases, accepted by libsignal {libsignalAccepted,5}, by Parley {parleyAccepted,5}");
        }

        output.WriteLine($"{cases.Count} verifications, {divergences.Count} divergences, {unexpected.Count} surprises; built in {built.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var line in divergences.Concat(unexpected).Take(20))
        {
            output.WriteLine(line);
        }

        Assert.True(cases.Count >= 10_000, $"only {cases.Count} cases");
        Assert.True(divergences.Count == 0, $"{divergences.Count} divergences; first: {divergences.FirstOrDefault()}");
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} cases where libsignal contradicts PROTOCOL.md; first: {unexpected.FirstOrDefault()}");
    }

    private static async Task<IReadOnlyList<bool>> VerifyWithLibsignalAsync(DriverProcess libsignal, XEdDsaCase[] batch)
    {
        var items = new JsonArray();
        foreach (var item in batch)
        {
            items.Add(new JsonObject
            {
                ["publicKey_b64"] = Convert.ToBase64String(item.PublicKey),
                ["message_b64"] = Convert.ToBase64String(item.Message),
                ["signature_b64"] = Convert.ToBase64String(item.Signature),
            });
        }

        var answer = await libsignal.RequestOkAsync(new JsonObject { ["cmd"] = "xeddsa_verify_batch", ["items"] = items });
        var results = answer["results"] as JsonArray ?? throw new InvalidDataException("xeddsa_verify_batch gave no results array");
        Assert.Equal(batch.Length, results.Count);
        return results.Select(r => r!.GetValue<bool>()).ToList();
    }

    private static async Task AddHonestLibsignalSignaturesAsync(DriverProcess libsignal, XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int keys, int perKey)
    {
        for (var k = 0; k < keys; k++)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var publicKey = (byte[])[0x05, .. X25519.PublicKeyFromPrivate(privateKey)];
            for (var m = 0; m < perKey; m++)
            {
                var message = book.RandomMessage();
                var answer = await libsignal.RequestOkAsync(new JsonObject
                {
                    ["cmd"] = "xeddsa_sign",
                    ["privateKey_b64"] = Convert.ToBase64String(privateKey),
                    ["message_b64"] = Convert.ToBase64String(message),
                });
                Assert.Equal(publicKey, answer.Bytes("publicKey_b64"));
                var item = new XEdDsaCase("honest: signed by libsignal", publicKey, message, answer.Bytes("signature_b64"), true);
                book.Cases.Add(item);
                honest.Add(item);
            }
        }
    }

    private static void AddHonestParleySignatures(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int keys, int perKey)
    {
        for (var k = 0; k < keys; k++)
        {
            var privateKey = X25519.GeneratePrivateKey();
            var publicKey = (byte[])[0x05, .. X25519.PublicKeyFromPrivate(privateKey)];
            for (var m = 0; m < perKey; m++)
            {
                var message = book.RandomMessage();
                var item = new XEdDsaCase("honest: signed by Parley", publicKey, message, XEdDsa.Sign(privateKey, message), true);
                book.Cases.Add(item);
                honest.Add(item);
            }
        }
    }

    /// <summary>Bit 255 of u is ignored by the Montgomery-to-Edwards map, so these still verify.</summary>
    private static void AddPublicKeysWithBit255Set(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var item = honest[i * honest.Count / count];
            var key = (byte[])item.PublicKey.Clone();
            key[32] |= 0x80;
            book.Add("honest, public key bit 255 set", key, item.Message, item.Signature, true);
        }
    }

    private static void AddMutations(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int count, Random random)
    {
        for (var i = 0; i < count; i++)
        {
            var item = honest[random.Next(honest.Count)];
            var key = (byte[])item.PublicKey.Clone();
            var message = (byte[])item.Message.Clone();
            var signature = (byte[])item.Signature.Clone();
            string kind;
            switch (random.Next(8))
            {
                case 0:
                    kind = "signature bit flipped";
                    var bit = random.Next(512);
                    signature[bit / 8] ^= (byte)(1 << (bit % 8));
                    break;
                case 1:
                    kind = "message changed";
                    if (message.Length == 0)
                    {
                        message = [(byte)random.Next(256)];
                    }
                    else
                    {
                        var at = random.Next(message.Length * 8);
                        message[at / 8] ^= (byte)(1 << (at % 8));
                    }

                    break;
                case 2:
                    kind = "public key bit flipped (bits 0-254)";
                    var keyBit = random.Next(255);
                    key[1 + (keyBit / 8)] ^= (byte)(1 << (keyBit % 8));
                    break;
                case 3:
                    kind = "R replaced by random bytes";
                    book.RandomBytes(32).CopyTo(signature, 0);
                    break;
                case 4:
                    kind = "s replaced by random bytes";
                    var s = book.RandomBytes(32);
                    s[31] = (byte)((s[31] & 0x1F) | (signature[63] & 0x80));
                    s.CopyTo(signature, 32);
                    break;
                case 5:
                    kind = "another sample's message";
                    message = honest[random.Next(honest.Count)].Message;
                    break;
                case 6:
                    kind = "sign bit flipped";
                    signature[63] ^= 0x80;
                    break;
                default:
                    kind = "two random bytes changed";
                    signature[random.Next(64)] ^= (byte)(1 + random.Next(255));
                    signature[random.Next(64)] ^= (byte)(1 + random.Next(255));
                    break;
            }

            book.Add($"mutation: {kind}", key, message, signature, null);
        }
    }

    /// <summary>libsignal reduces s mod L but refuses s ≥ 2^253: s + L verifies, s + 2L and s + 3L do not.</summary>
    private static void AddScalarEdgeCases(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var item = honest[(i * 7919) % honest.Count];
            var s = XEdDsaCaseBuilder.ScalarOf(item.Signature);
            var sign = XEdDsaCaseBuilder.SignBitOf(item.Signature);
            var r = item.Signature[..32];
            book.Add("s + L (sign bit kept)", item.PublicKey, item.Message, XEdDsaCaseBuilder.Signature(r, s + L, sign), true);
            book.Add("s + 2L (>= 2^253)", item.PublicKey, item.Message, XEdDsaCaseBuilder.Signature(r, s + (2 * L), sign), false);
            book.Add("s + 3L (>= 2^253)", item.PublicKey, item.Message, XEdDsaCaseBuilder.Signature(r, s + (3 * L), sign), false);
            var high = (i % 2 == 0 ? BigInteger.One << 253 : BigInteger.One << 254) + s;
            book.Add("s with bit 253 or 254 set", item.PublicKey, item.Message, XEdDsaCaseBuilder.Signature(r, high, sign), false);
        }
    }

    /// <summary>
    /// r = 0 signatures (R = identity, s = h·a) verify when R is the canonical identity encoding and fail for
    /// every non-canonical encoding of the same point; R with y ≥ p or a flipped sign bit fails too.
    /// </summary>
    private static void AddIdentityAndNonCanonicalR(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, Random random, int keys)
    {
        var identityVariants = XEdDsaCaseBuilder.NonCanonicalEncodings(EdwardsPoint.Identity);
        for (var k = 0; k < keys; k++)
        {
            var key = XEdDsaCaseBuilder.HonestKey();
            var forged = book.Forge(key.A, key.SignBit, key.Scalar, EdwardsPoint.Identity, BigInteger.Zero, p => p.Encode());
            book.Add("r = 0: R = identity, canonical", key.Public, forged!.Value.Message, forged.Value.Signature, true);
            foreach (var variant in identityVariants)
            {
                var bad = book.Forge(key.A, key.SignBit, key.Scalar, EdwardsPoint.Identity, BigInteger.Zero, _ => variant);
                book.Add("r = 0: R = identity, non-canonical encoding", key.Public, bad!.Value.Message, bad.Value.Signature, false);
            }

            var item = honest[random.Next(honest.Count)];
            var highY = item.Signature.ToArray();
            var y = P + random.Next(19);
            EdwardsPoint.EncodeRaw(y, random.Next(2)).CopyTo(highY, 0);
            book.Add("R with y >= p", item.PublicKey, item.Message, highY, false);
            var flipped = item.Signature.ToArray();
            flipped[31] ^= 0x80;
            book.Add("R sign bit flipped", item.PublicKey, item.Message, flipped, false);
        }
    }

    /// <summary>u = −1 has no Edwards form: rejected, with or without bit 255, whatever the signature.</summary>
    private static void AddMinusOne(XEdDsaCaseBuilder book, List<XEdDsaCase> honest, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var item = honest[(i * 104729) % honest.Count];
            book.Add("u = -1 (p - 1)", XEdDsaCaseBuilder.PublicKey(P - 1, setBit255: i % 2 == 1), item.Message, item.Signature, false);
        }
    }

    /// <summary>
    /// Keys that are pure torsion (u = 0, 1, the two order-8 u values, and u = p, p + 1): signatures forged
    /// without any private key verify in libsignal; both verifiers must agree on them and on random ones.
    /// R is also made low-order (r = 0) in canonical and non-canonical encodings.
    /// </summary>
    private static void AddLowOrderKeys(XEdDsaCaseBuilder book, Random random)
    {
        var encodings = new List<(BigInteger RawU, EdwardsPoint Point, int SignBit)>();
        foreach (var point in XEdDsaCaseBuilder.TorsionPoints())
        {
            var (x, _) = point.Affine();
            var u = point.MontgomeryU();
            foreach (var rawU in u + P < BigInteger.One << 255 ? new[] { u, u + P } : [u])
            {
                encodings.Add((rawU, point, (int)(x & 1)));
                if (x.IsZero)
                {
                    encodings.Add((rawU, point, 1)); // x = 0: the sign bit names the same point
                }
            }
        }

        foreach (var (rawU, point, signBit) in encodings.Distinct())
        {
            foreach (var bit255 in new[] { false, true })
            {
                var key = XEdDsaCaseBuilder.PublicKey(rawU, bit255);
                for (var i = 0; i < 6; i++)
                {
                    var r = RandomScalar(random);
                    var forged = book.Forge(point, signBit, BigInteger.Zero, point, r, p => p.Encode());
                    book.Add("low-order public key: forged signature", key, forged!.Value.Message, forged.Value.Signature, true);
                    var junk = book.RandomBytes(64);
                    junk[63] = (byte)((junk[63] & 0x1F) | (signBit << 7));
                    book.Add("low-order public key: random signature", key, book.RandomMessage(), junk, null);
                }

                var canonicalR = book.Forge(point, signBit, BigInteger.Zero, point, BigInteger.Zero, p => p.Encode());
                book.Add("low-order public key, low-order R (r = 0), canonical", key, canonicalR!.Value.Message, canonicalR.Value.Signature, true);
                for (var variant = 0; variant < 3; variant++)
                {
                    var chosen = variant;
                    var bad = book.Forge(point, signBit, BigInteger.Zero, point, BigInteger.Zero, p => XEdDsaCaseBuilder.NonCanonicalEncodings(p).ElementAtOrDefault(chosen));
                    if (bad is { } b)
                    {
                        book.Add("low-order public key, low-order R, non-canonical encoding", key, b.Message, b.Signature, false);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Keys A = a·B + T with a torsion part T: a signer that accounts for T verifies in libsignal; one that
    /// ignores T verifies exactly when h ≡ 0 (mod order of T).
    /// </summary>
    private static void AddMixedOrderKeys(XEdDsaCaseBuilder book, Random random, int perTorsionPoint)
    {
        foreach (var torsion in XEdDsaCaseBuilder.TorsionPoints())
        {
            var order = torsion.SmallOrder();
            for (var i = 0; i < perTorsionPoint; i++)
            {
                var scalar = RandomScalar(random);
                var a = EdwardsPoint.Base.Multiply(scalar).Add(torsion);
                var signBit = (int)(a.Affine().X & 1);
                var key = XEdDsaCaseBuilder.PublicKey(a.MontgomeryU());
                var r = RandomScalar(random);
                var forged = book.Forge(a, signBit, scalar, torsion, r, p => p.Encode());
                book.Add("mixed-order public key: torsion-aware signature", key, forged!.Value.Message, forged.Value.Signature, true);

                // The signer ignores the torsion part: R = r·B, s = h·a + r.
                var message = book.RandomMessage();
                var rBytes = EdwardsPoint.Base.Multiply(r).Encode();
                var h = XEdDsaCaseBuilder.Challenge(rBytes, a.Encode(), message);
                var signature = XEdDsaCaseBuilder.Signature(rBytes, ((h * scalar) + r) % L, signBit);
                book.Add("mixed-order public key: torsion-blind signature", key, message, signature, h % order == 0);
            }
        }
    }

    private static void AddRandomJunk(XEdDsaCaseBuilder book, int count)
    {
        for (var i = 0; i < count; i++)
        {
            book.Add("random public key, message and signature", [0x05, .. book.RandomBytes(32)], book.RandomMessage(), book.RandomBytes(64), null);
        }
    }

    private static BigInteger RandomScalar(Random random)
    {
        var bytes = new byte[64];
        random.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false) % L;
    }
}

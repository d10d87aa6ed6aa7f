using System.Text;
using System.Text.Json;
using Parley.Crypto.Curve25519;
using Parley.Crypto.Tests.Vectors.Support;
using Xunit.Abstractions;

namespace Parley.Crypto.Tests.Vectors;

/// <summary>
/// TESTPLAN A2: Ed25519 core — Wycheproof (151) and RFC 8032 (5) through the linked libsodium, and the 914 CCTV edge
/// cases against a pinned policy table for libsodium's verifier and, separately, for Parley's XEdDSA verifier.
/// </summary>
/// <remarks>
/// <para>Pinned policy (CCTV flags; docs/protocol.md repeats it):</para>
/// <code>
/// flag present in the vector            libsodium 1.0.18 verify_detached      XEdDSA (libsignal's rules)
/// low_order_A                           reject (small-order blocklist)        no rule; A = identity (112 vectors)
///                                                                               has no Montgomery u: not applicable
/// low_order_R                           reject (small-order blocklist)        no rule (R is only compared)
/// non_canonical_A                       reject (y ≥ p)                        A is rebuilt from u, so always canonical:
///                                                                               the hash covers the re-encoded A
/// non_canonical_R                       reject                                reject (R ≠ canonical re-encoding)
/// low_order_residue                     reject (cofactorless equation)        reject (cofactorless equation)
/// only low_order_component_A/R, or none accept                                accept
/// </code>
/// <para>For vectors with a non-canonical A the XEdDSA verdict is not a function of the flags (the signer hashed
/// bytes that an XEdDSA verifier never sees; with A of order ≤ 8 a few still verify by coincidence), so every
/// XEdDSA verdict is also checked against <see cref="EdwardsReference"/>, an independent BigInteger model of
/// libsignal's verification. s is below L in all 914 vectors.</para>
/// </remarks>
public sealed class Ed25519VectorTests(ITestOutputHelper output)
{
    private static readonly string[] LibsodiumRejects = ["low_order_A", "low_order_R", "non_canonical_A", "non_canonical_R", "low_order_residue"];
    private static readonly string[] XEdDsaRejects = ["non_canonical_R", "low_order_residue"];

    [Fact]
    public void Wycheproof_valid_signatures_verify_and_invalid_ones_do_not()
    {
        var vectors = VectorFiles.Json("wycheproof", "ed25519_test.json");
        var tally = new VectorTally("wycheproof/ed25519_test.json", output);
        foreach (var (group, test) in vectors.Cases())
        {
            var publicKey = group.GetProperty("publicKey").Hex("pk");
            tally.Check(test.CaseId() + " " + string.Join(",", test.Flags()), () =>
                Assert.Equal(test.Text("result") == "valid", Ed25519Signatures.Verify(publicKey, test.Hex("msg"), test.Hex("sig"))));
        }

        tally.AssertComplete(vectors.Int("numberOfTests"));
    }

    [Fact]
    public void Rfc8032_seed_to_key_deterministic_signing_and_verification_match()
    {
        var vectors = VectorFiles.Json("rfc", "rfc8032_ed25519.json");
        var tally = new VectorTally("rfc/rfc8032_ed25519.json", output);
        foreach (var test in vectors.GetProperty("tests").EnumerateArray())
        {
            tally.Check(test.Text("name"), () =>
            {
                var seed = test.Hex("secret_key");
                var message = test.Hex("message");
                Assert.Equal(test.Hex("public_key"), Ed25519Signatures.PublicKeyFromSeed(seed));
                Assert.Equal(test.Hex("signature"), Ed25519Signatures.Sign(seed, message));
                Assert.True(Ed25519Signatures.Verify(test.Hex("public_key"), message, test.Hex("signature")));
            });
        }

        tally.AssertComplete(5);
    }

    [Fact]
    public void Cctv_edge_cases_match_the_libsodium_column_of_the_policy_table()
    {
        var vectors = VectorFiles.Json("cctv-ed25519", "ed25519vectors.json");
        var tally = new VectorTally("cctv-ed25519/ed25519vectors.json (libsodium)", output);
        int accepted = 0;
        foreach (var test in vectors.EnumerateArray())
        {
            var flags = Flags(test);
            var expected = !flags.Overlaps(LibsodiumRejects);
            accepted += expected ? 1 : 0;
            tally.Check(Describe(test, flags), () =>
                Assert.Equal(expected, Ed25519Signatures.Verify(test.Hex("key"), Message(test), test.Hex("sig"))));
        }

        output.WriteLine($"  table: {accepted} accepted, {vectors.GetArrayLength() - accepted} rejected");
        tally.AssertComplete(914);
    }

    [Fact]
    public void Cctv_edge_cases_match_the_xeddsa_column_and_the_reference_model()
    {
        var vectors = VectorFiles.Json("cctv-ed25519", "ed25519vectors.json");
        var tally = new VectorTally("cctv-ed25519/ed25519vectors.json (XEdDSA)", output);
        int accepted = 0, rejected = 0, decidedByFlags = 0;
        foreach (var test in vectors.EnumerateArray())
        {
            var key = test.Hex("key");
            var u = EdwardsReference.MontgomeryUFromEdwards(key);
            if (u is null)
            {
                tally.Skip("A is the identity point (y = 1): no Montgomery u maps to it, so XEdDSA cannot express the key");
                continue;
            }

            var flags = Flags(test);
            var message = Message(test);
            // XEdDSA carries A's sign bit in bit 255 of s (s < L here, so that bit is free).
            var signature = test.Hex("sig");
            signature[63] |= (byte)(key[31] & 0x80);
            tally.Check(Describe(test, flags), () =>
            {
                var actual = XEdDsa.Verify(u, message, signature);
                Assert.Equal(EdwardsReference.XEdDsaVerify(u, message, signature), actual);
                if (!flags.Contains("non_canonical_A"))
                {
                    Assert.Equal(!flags.Overlaps(XEdDsaRejects), actual);
                    decidedByFlags++;
                }

                if (actual)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            });
        }

        output.WriteLine($"  XEdDSA: {accepted} accepted, {rejected} rejected; {decidedByFlags} of them also checked against the flag table");
        tally.AssertComplete(914);
    }

    private static HashSet<string> Flags(JsonElement test) =>
        test.GetProperty("flags").ValueKind == JsonValueKind.Array
            ? [.. test.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)]
            : [];

    private static byte[] Message(JsonElement test) => Encoding.UTF8.GetBytes(test.Text("msg"));

    private static string Describe(JsonElement test, HashSet<string> flags) =>
        $"number {test.GetProperty("number")} [{string.Join(",", flags.Order(StringComparer.Ordinal))}]";
}

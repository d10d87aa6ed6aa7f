using System.Text.Json.Nodes;
using Parley.Interop.Tests.Infrastructure;
using Parley.Testing.Interop;
using Xunit.Abstractions;

namespace Parley.Interop.Tests.Scenarios;

/// <summary>Garbage and malformed requests are answered with ok:false and the driver keeps working.</summary>
public sealed class MalformedInputScenarioTests(ITestOutputHelper output) : IClassFixture<InteropEnvironment>
{
    /// <summary>Lines that are not requests at all.</summary>
    private static readonly string[] NotRequests =
    [
        "",
        "   ",
        "not json",
        "{",
        "{\"cmd\":\"init\"",
        "}",
        "[]",
        "[{\"cmd\":\"bundle\"}]",
        "42",
        "null",
        "true",
        "\"init\"",
        "{}",
        new string('x', 200_000),
    ];

    /// <summary>Requests a driver must refuse before <c>init</c>, or as a bad <c>init</c>.</summary>
    private static readonly string[] BeforeInit =
    [
        """{"id":1}""",
        """{"cmd":null,"id":2}""",
        """{"cmd":42,"id":3}""",
        """{"cmd":["init"],"id":4}""",
        """{"cmd":"no_such_command","id":5}""",
        """{"cmd":"INIT","id":6,"name":"x"}""",
        """{"cmd":"bundle","id":7}""",
        """{"cmd":"encrypt","id":8,"peer":"someone","plaintext_b64":"AA=="}""",
        """{"cmd":"init","id":9}""",
        """{"cmd":"init","id":10,"name":42}""",
        """{"cmd":"init","id":11,"name":"x","deviceId":0}""",
        """{"cmd":"init","id":12,"name":"x","deviceId":128}""",
        """{"cmd":"init","id":13,"name":"x","deviceId":"1"}""",
        """{"cmd":"init","id":14,"name":"x","deviceId":1.5}""",
        """{"cmd":"init","id":15,"name":"x","registrationId":-1}""",
    ];

    /// <summary>Requests a driver must refuse after a good <c>init</c> (no session with "nobody" exists).</summary>
    private static readonly string[] AfterInit =
    [
        """{"cmd":"encrypt","id":"a1","plaintext_b64":"AA=="}""",
        """{"cmd":"encrypt","id":"a2","peer":"nobody"}""",
        """{"cmd":"encrypt","id":"a3","peer":"nobody","plaintext_b64":"!!!!"}""",
        """{"cmd":"encrypt","id":"a4","peer":"nobody","plaintext_b64":"AAA"}""",
        """{"cmd":"encrypt","id":"a5","peer":"nobody","plaintext_b64":5}""",
        """{"cmd":"encrypt","id":"a6","peer":5,"plaintext_b64":"AA=="}""",
        """{"cmd":"encrypt","id":"a7","peer":"nobody","plaintext_b64":"AA==","peerDeviceId":0}""",
        """{"cmd":"encrypt","id":"a8","peer":"nobody","plaintext_b64":"AA=="}""",
        """{"cmd":"decrypt","id":"b1","peer":"nobody","body_b64":"AA=="}""",
        """{"cmd":"decrypt","id":"b2","peer":"nobody","type":"2","body_b64":"AA=="}""",
        """{"cmd":"decrypt","id":"b3","peer":"nobody","type":9,"body_b64":"AA=="}""",
        """{"cmd":"decrypt","id":"b4","peer":"nobody","type":2,"body_b64":"not base64"}""",
        """{"cmd":"decrypt","id":"b5","peer":"nobody","type":2,"body_b64":""}""",
        """{"cmd":"decrypt","id":"b6","peer":"nobody","type":2,"body_b64":"RAgBEiEF"}""",
        """{"cmd":"decrypt","id":"b7","peer":"nobody","type":3,"body_b64":"RAgBEiEFACBN4I8Gs51iBorxXl1L"}""",
        """{"cmd":"decrypt","id":"b8","peer":"nobody","type":7,"body_b64":"MwoQAAAAAAAAAAAAAAAAAAAAAAAQARgBIgA="}""",
        """{"cmd":"process_bundle","id":"c1","peer":"nobody"}""",
        """{"cmd":"process_bundle","id":"c2","peer":"nobody","bundle":"x"}""",
        """{"cmd":"process_bundle","id":"c3","peer":"nobody","bundle":{}}""",
        """{"cmd":"fingerprint","id":"d1","peer":"nobody"}""",
        """{"cmd":"fingerprint","id":"d2"}""",
        """{"cmd":"skdm_create","id":"e1","distributionId":"not-a-uuid"}""",
        """{"cmd":"skdm_create","id":"e2"}""",
        """{"cmd":"skdm_process","id":"e3","peer":"nobody","skdm_b64":"AAAA"}""",
        """{"cmd":"group_encrypt","id":"e4","plaintext_b64":"AA=="}""",
        """{"cmd":"group_encrypt","id":"e5","distributionId":"6f1c2a3e-58b5-4f55-8c1a-0d0e6b3a1f00","plaintext_b64":"AA=="}""",
        """{"cmd":"group_decrypt","id":"e6","peer":"nobody","body_b64":"AAAA"}""",
        """{"cmd":"session_info","id":"f1"}""",
        """{"cmd":"xeddsa_verify_batch","id":"f2","items":"none"}""",
    ];

    [Theory]
    [MemberData(nameof(Pairings.Selected), MemberType = typeof(Pairings))]
    public async Task Garbage_and_malformed_lines_are_answered_with_ok_false_and_the_driver_keeps_working(string pairing)
    {
        var kinds = Pairing.Parse(pairing);
        var rejected = 0;
        foreach (var kind in new[] { kinds.Initiator, kinds.Responder }.Distinct())
        {
            await using var driver = Drivers.Start(kind);
            foreach (var line in NotRequests.Concat(BeforeInit))
            {
                await ExpectRefusalAsync(driver, line);
                rejected++;
            }

            await driver.RequestOkAsync(new JsonObject { ["cmd"] = "init", ["name"] = Guid.NewGuid().ToString(), ["deviceId"] = 1 });
            foreach (var line in AfterInit.Concat(NotRequests))
            {
                await ExpectRefusalAsync(driver, line);
                rejected++;
            }

            // Still alive and answering in step.
            await driver.RequestOkAsync(new JsonObject { ["cmd"] = "bundle" });
        }

        // And the pairing still talks, after being fed tampered bundles.
        await using var chat = await Conversation.StartAsync(pairing, output);
        rejected += await RejectTamperedBundlesAsync(chat);
        await chat.EstablishAndGreetAsync();
        await chat.DeliverAsync(await chat.SendAsync(chat.Initiator));
        chat.Note($"{rejected} malformed lines and bad bundles answered with ok:false");
    }

    /// <summary>Bundles with a broken signature, key or missing Kyber prekey must be refused by process_bundle.</summary>
    private static async Task<int> RejectTamperedBundlesAsync(Conversation chat)
    {
        var good = await chat.Responder.BundleAsync();
        var variants = new List<(string Why, JsonObject Bundle)>();

        JsonObject Changed(Action<JsonObject> change)
        {
            var copy = (JsonObject)good.DeepClone();
            change(copy);
            return copy;
        }

        static string FlipLastBit(string base64)
        {
            var bytes = Convert.FromBase64String(base64);
            bytes[^1] ^= 0x01;
            return Convert.ToBase64String(bytes);
        }

        static string WithTypeByte(string base64, byte type)
        {
            var bytes = Convert.FromBase64String(base64);
            bytes[0] = type;
            return Convert.ToBase64String(bytes);
        }

        variants.Add(("signed prekey signature flipped", Changed(b => b["signedPreKeySignature_b64"] = FlipLastBit(b.Text("signedPreKeySignature_b64")))));
        variants.Add(("Kyber prekey signature flipped", Changed(b => b["kyberPreKeySignature_b64"] = FlipLastBit(b.Text("kyberPreKeySignature_b64")))));
        variants.Add(("signed prekey changed", Changed(b => b["signedPreKey_b64"] = FlipLastBit(b.Text("signedPreKey_b64")))));
        variants.Add(("Kyber prekey changed", Changed(b => b["kyberPreKey_b64"] = FlipLastBit(b.Text("kyberPreKey_b64")))));
        variants.Add(("Kyber prekey typed as ML-KEM (0x0A)", Changed(b => b["kyberPreKey_b64"] = WithTypeByte(b.Text("kyberPreKey_b64"), 0x0A))));
        variants.Add(("identity key of the wrong type", Changed(b => b["identityKey_b64"] = WithTypeByte(b.Text("identityKey_b64"), 0x06))));
        variants.Add(("Kyber prekey missing", Changed(b =>
        {
            b.Remove("kyberPreKeyId");
            b.Remove("kyberPreKey_b64");
            b.Remove("kyberPreKeySignature_b64");
        })));
        variants.Add(("identity key truncated", Changed(b => b["identityKey_b64"] = Convert.ToBase64String(Convert.FromBase64String(b.Text("identityKey_b64"))[..32]))));

        foreach (var (why, bundle) in variants)
        {
            var answer = await chat.Initiator.Driver.RequestAsync(new JsonObject
            {
                ["cmd"] = "process_bundle", ["peer"] = chat.Responder.Name, ["bundle"] = bundle,
            });
            Assert.False(answer.IsOk(), $"{chat.Initiator.Label} accepted a bundle with {why}.");
        }

        return variants.Count;
    }

    private static async Task ExpectRefusalAsync(DriverProcess driver, string line)
    {
        var answer = await driver.SendRawLineAsync(line);
        var shown = line.Length > 80 ? line[..80] + "…" : line;
        Assert.False(answer.IsOk(), $"The {driver.Command.Label} driver accepted \"{shown}\": {answer.ToJsonString()}");
        Assert.False(string.IsNullOrWhiteSpace(answer.Error()) || answer.Error() == "(no error text)", $"No error text for \"{shown}\".");

        // A request that parsed as an object with an id must have that id echoed.
        if (JsonNodeOrNull(line) is JsonObject request && request.ContainsKey("id"))
        {
            Assert.Equal(request["id"]?.ToJsonString(), answer["id"]?.ToJsonString());
        }
    }

    private static JsonNode? JsonNodeOrNull(string line)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Parley.Protocol;
using Parley.Protocol.Fingerprints;
using Parley.Protocol.Keys;

namespace Parley.Cli.Interop;

/// <summary><c>fingerprint</c> (safety numbers) and the XEdDSA commands of the differential test.</summary>
internal static class IdentityCommands
{
    private const int MaxVerifyBatch = 100_000;

    public static async ValueTask<JsonObject> FingerprintAsync(InteropContext context, InteropRequest request, CancellationToken cancellationToken)
    {
        var party = context.RequireParty();
        var address = party.PeerAddress(request);
        var peerKey = await party.Store.GetIdentityAsync(address, cancellationToken).ConfigureAwait(false)
            ?? throw new InteropRequestException($"no identity key known for {address}");
        var fingerprint = Fingerprint.Create(
            Fingerprint.DefaultVersion,
            Fingerprint.DefaultIterations,
            StableIdentifier(party.Address.Name),
            party.Identity.IdentityKey,
            StableIdentifier(address.Name),
            peerKey);
        var answer = new JsonObject
        {
            ["displayable"] = fingerprint.Displayable.Digits60,
            ["scannable_b64"] = Convert.ToBase64String(fingerprint.Scannable.Serialize()),
        };
        if (request.Has("theirScannable_b64"))
        {
            var theirs = request.RequireBytes("theirScannable_b64");
            try
            {
                answer["scannableMatches"] = fingerprint.Scannable.Matches(theirs);
            }
            catch (ProtocolException e)
            {
                answer["scannableMatches"] = false;
                answer["scannableError"] = e.Message;
            }
        }

        return answer;
    }

    /// <summary>Signs with the identity key, or with <c>privateKey_b64</c> (clamped, as libsignal does).</summary>
    public static JsonObject Sign(InteropContext context, InteropRequest request)
    {
        var message = request.RequireBytes("message_b64");
        EcPrivateKey key;
        if (request.Has("privateKey_b64"))
        {
            var bytes = request.RequireBytes("privateKey_b64");
            key = bytes.Length == EcPrivateKey.KeySize ? EcPrivateKey.Deserialize(bytes) : throw new InteropRequestException("privateKey_b64 must be 32 bytes");
        }
        else
        {
            key = context.RequireParty().Identity.PrivateKey;
        }

        return new JsonObject
        {
            ["signature_b64"] = Convert.ToBase64String(key.CalculateSignature(message)),
            ["publicKey_b64"] = Convert.ToBase64String(key.PublicKey.Serialize()),
        };
    }

    /// <summary>Verifies many items; a key that does not parse verifies nothing.</summary>
    public static JsonObject VerifyBatch(InteropRequest request)
    {
        var items = request.RequireArray("items");
        if (items.Count > MaxVerifyBatch)
        {
            throw new InteropRequestException($"items holds more than {MaxVerifyBatch} entries");
        }

        var decoded = items.Select((node, index) =>
        {
            var item = node as JsonObject ?? throw new InteropRequestException($"items[{index}] must be an object");
            return (
                Key: InteropRequest.DecodeBase64(item["publicKey_b64"], $"items[{index}].publicKey_b64"),
                Message: InteropRequest.DecodeBase64(item["message_b64"], $"items[{index}].message_b64"),
                Signature: InteropRequest.DecodeBase64(item["signature_b64"], $"items[{index}].signature_b64"));
        }).ToList();

        var results = new JsonArray();
        foreach (var (keyBytes, message, signature) in decoded)
        {
            bool valid;
            try
            {
                valid = EcPublicKey.Deserialize(keyBytes).VerifySignature(message, signature);
            }
            catch (InvalidKeyException)
            {
                valid = false;
            }

            results.Add(valid);
        }

        return new JsonObject { ["results"] = results };
    }

    /// <summary>The identifier hashed into a fingerprint: the 16 UUID bytes for a UUID name, else UTF-8.</summary>
    private static byte[] StableIdentifier(string name) =>
        InteropRequest.IsUuid(name) ? Guid.ParseExact(name, "D").ToByteArray(bigEndian: true) : Encoding.UTF8.GetBytes(name);
}

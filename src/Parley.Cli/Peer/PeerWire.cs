using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Cli.Peer;

/// <summary>
/// The JSON bodies of the peer HTTP endpoints, read defensively: size-limited by the host, every field
/// checked, anything else rejected with <see cref="PeerProtocolException"/>.
/// </summary>
internal static class PeerWire
{
    /// <summary>Largest request or response body: a 64 KiB message, its ciphertext in base64 and headroom.</summary>
    public const int MaxBodyBytes = 512 * 1024;

    /// <summary>Longest bundle accepted (a Kyber1024 key is 1569 bytes; the rest is small).</summary>
    public const int MaxBundleBytes = 16 * 1024;

    /// <summary>Longest name accepted from a peer.</summary>
    public const int MaxNameLength = 64;

    public static JsonObject Bundle(string name, byte[] bundle) => new()
    {
        ["name"] = name,
        ["bundle_b64"] = Convert.ToBase64String(bundle),
    };

    public static (string Name, byte[] Bundle) ReadBundle(JsonNode? body)
    {
        var json = AsObject(body);
        return (ReadName(json), ReadBytes(json, "bundle_b64", MaxBundleBytes));
    }

    public static JsonObject Envelope(string from, long sequence, PeerCiphertext ciphertext) => new()
    {
        ["from"] = from,
        ["seq"] = sequence,
        ["type"] = ciphertext.Type,
        ["body_b64"] = Convert.ToBase64String(ciphertext.Body),
    };

    public static (string From, long Sequence, PeerCiphertext Ciphertext) ReadEnvelope(JsonNode? body)
    {
        var json = AsObject(body);
        var from = ReadString(json, "from", MaxNameLength);
        var sequence = json["seq"] is JsonValue s && s.TryGetValue<long>(out var seq) && seq >= 0 ? seq : throw new PeerProtocolException("seq must be a non-negative integer");
        var type = json["type"] is JsonValue t && t.TryGetValue<int>(out var value) && value is 2 or 3
            ? value
            : throw new PeerProtocolException("type must be 2 (SignalMessage) or 3 (PreKeySignalMessage)");
        return (from, sequence, new PeerCiphertext(type, ReadBytes(json, "body_b64", MaxBodyBytes)));
    }

    public static JsonObject Inbox(IEnumerable<JsonObject> envelopes) => new()
    {
        ["envelopes"] = new JsonArray([.. envelopes]),
    };

    public static IReadOnlyList<(string From, long Sequence, PeerCiphertext Ciphertext)> ReadInbox(JsonNode? body)
    {
        var json = AsObject(body);
        if (json["envelopes"] is not JsonArray array || array.Count > 1000)
        {
            throw new PeerProtocolException("envelopes must be an array of at most 1000 items");
        }

        return [.. array.Select(ReadEnvelope)];
    }

    public static JsonNode? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new PeerProtocolException("malformed JSON: " + e.Message);
        }
    }

    private static string ReadName(JsonObject json)
    {
        var name = ReadString(json, "name", MaxNameLength);
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? name
            : throw new PeerProtocolException("name must be 1–64 of [A-Za-z0-9_.-]");
    }

    private static JsonObject AsObject(JsonNode? body) =>
        body as JsonObject ?? throw new PeerProtocolException("expected a JSON object");

    private static string ReadString(JsonObject json, string field, int maxLength) =>
        json[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length <= maxLength
            ? text
            : throw new PeerProtocolException($"{field} must be a string of at most {maxLength} characters");

    private static byte[] ReadBytes(JsonObject json, string field, int maxBytes)
    {
        var text = ReadString(json, field, (maxBytes + 2) / 3 * 4);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new PeerProtocolException($"{field} must be standard base64");
        }
    }
}

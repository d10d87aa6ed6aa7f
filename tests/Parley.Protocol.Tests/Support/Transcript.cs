using System.Text.Json;
using Parley.Protocol.Stores;
using Parley.Testing;

namespace Parley.Protocol.Tests.Support;

/// <summary>
/// A recorded first flight from libsignal (Alice) to Bob's bundle, with Bob's exported keys
/// (vectors/libsignal/transcript-*.json).
/// </summary>
internal sealed class Transcript
{
    private readonly JsonElement _root;

    private Transcript(JsonElement root)
    {
        _root = root;
    }

    public string Library => _root.GetProperty("lib").GetString()!;

    public ProtocolAddress Alice => new(_root.GetProperty("alice").GetProperty("name").GetString()!, _root.GetProperty("alice").GetProperty("deviceId").GetInt32());

    public ProtocolAddress Bob => new(_root.GetProperty("bob").GetProperty("name").GetString()!, _root.GetProperty("bob").GetProperty("deviceId").GetInt32());

    public IReadOnlyList<(CiphertextMessageType Type, byte[] Body, byte[] Plaintext)> Messages =>
        _root.GetProperty("messages").EnumerateArray()
            .Select(m => ((CiphertextMessageType)m.GetProperty("type").GetInt32(), B64(m, "body_b64"), B64(m, "plaintext_b64")))
            .ToList();

    public JsonElement Bundle => _root.GetProperty("bundle");

    public JsonElement BobKeys => _root.GetProperty("bobKeys");

    public static Transcript Load(string file)
    {
        using var stream = File.OpenRead(RepositoryPaths.Vector("libsignal", file));
        return new Transcript(JsonDocument.Parse(stream).RootElement.Clone());
    }

    /// <summary>Bob's stores, rebuilt from the exported records; the Kyber pre-key is kept as last resort.</summary>
    public InMemoryProtocolStore CreateBobStore() => ExportedKeys.ToStore(BobKeys);

    public static byte[] B64(JsonElement element, string property) => Convert.FromBase64String(element.GetProperty(property).GetString()!);
}

using System.Text.Json;
using Parley.Testing;

namespace Parley.Protocol.Tests.Support;

/// <summary>Values from vectors/libsignal/static-vectors.json.</summary>
internal static class StaticVectors
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        using var stream = File.OpenRead(RepositoryPaths.Vector("libsignal", "static-vectors.json"));
        return JsonDocument.Parse(stream).RootElement.Clone();
    });

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);

    public static byte[] Hex(JsonElement section, string property) => Convert.FromHexString(section.GetProperty(property).GetString()!);

    public static string Text(JsonElement section, string property) => section.GetProperty(property).GetString()!;
}

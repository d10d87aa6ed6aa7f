using System.Text.Json;

namespace Parley.Crypto.Tests.Vectors.Support;

/// <summary>Small accessors for vector JSON: hex fields, strings, ints, flags, and Wycheproof's group/test layout.</summary>
internal static class JsonVectorExtensions
{
    /// <summary>A hex-encoded field as bytes (an empty string gives an empty array).</summary>
    public static byte[] Hex(this JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);

    /// <summary>A hex field when present, else null.</summary>
    public static byte[]? HexOrNull(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Convert.FromHexString(value.GetString()!) : null;

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    /// <summary>An integer field, whether stored as a JSON number or a string (ACVP uses both).</summary>
    public static int Int(this JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        return value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A boolean field, whether stored as a JSON boolean or a string.</summary>
    public static bool Bool(this JsonElement element, string name)
    {
        var value = element.GetProperty(name);
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : bool.Parse(value.GetString()!);
    }

    public static string[] Flags(this JsonElement test) =>
        test.TryGetProperty("flags", out var flags) ? [.. flags.EnumerateArray().Select(f => f.GetString()!)] : [];

    /// <summary>Every (group, test) pair of a Wycheproof or ACVP file.</summary>
    public static IEnumerable<(JsonElement Group, JsonElement Test)> Cases(this JsonElement file) =>
        file.GetProperty("testGroups").EnumerateArray().SelectMany(g => g.GetProperty("tests").EnumerateArray().Select(t => (g, t)));

    /// <summary>Wycheproof's case id, "tcId N".</summary>
    public static string CaseId(this JsonElement test) => "tcId " + test.GetProperty("tcId").ToString();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Parley.Cli.Interop;

/// <summary>
/// Typed, strict reads of request fields (DESIGN.md §5). Every failure names the field, so a malformed request
/// becomes an ok:false answer and never a crash.
/// </summary>
internal sealed partial class InteropRequest(JsonObject fields)
{
    public JsonObject Fields { get; } = fields;

    public bool Has(string field) => Fields[field] is not null;

    public string RequireString(string field) =>
        Fields[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text
            ? text
            : throw Missing(field, "a non-empty string");

    public byte[] RequireBytes(string field) => DecodeBase64(Fields[field], field);

    public JsonObject RequireObject(string field) => Fields[field] as JsonObject ?? throw Missing(field, "an object");

    public JsonArray RequireArray(string field) => Fields[field] as JsonArray ?? throw Missing(field, "an array");

    /// <summary>An integer in [min, max]; <paramref name="fallback"/> when absent or null (no fallback: required).</summary>
    public long Integer(string field, long min, long max, long? fallback = null)
    {
        var node = Fields[field];
        if (node is null)
        {
            return fallback ?? throw new InteropRequestException($"missing field {field}");
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number) && number >= min && number <= max)
        {
            return number;
        }

        throw new InteropRequestException($"{field} must be an integer in {min}..{max}");
    }

    public bool Boolean(string field, bool fallback) => Fields[field]?.GetValueKind() switch
    {
        null or JsonValueKind.Null => fallback,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InteropRequestException($"{field} must be a boolean"),
    };

    public Guid RequireUuid(string field)
    {
        var text = RequireString(field);
        return IsUuid(text) ? Guid.ParseExact(text, "D") : throw new InteropRequestException($"{field} must be a hyphenated UUID");
    }

    public static bool IsUuid(string text) => UuidPattern().IsMatch(text);

    /// <summary>Strict standard base64: padding required, no whitespace.</summary>
    public static byte[] DecodeBase64(JsonNode? node, string field)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw Missing(field, "a base64 string");
        }

        var text = value.GetValue<string>();
        if (!Base64Pattern().IsMatch(text))
        {
            throw new InteropRequestException($"{field} is not valid base64");
        }

        return Convert.FromBase64String(text);
    }

    private static InteropRequestException Missing(string field, string expected) => new($"{field} must be {expected}");

    [GeneratedRegex("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    private static partial Regex Base64Pattern();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidPattern();
}

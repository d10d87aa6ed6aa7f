using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>Typed reads of driver answers; a missing or mistyped field fails with the whole answer in the message.</summary>
internal static class Answers
{
    public static bool IsOk(this JsonObject answer) => answer["ok"]?.GetValueKind() == JsonValueKind.True;

    public static string Text(this JsonObject answer, string field) =>
        answer[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw Missing(answer, field, "a string");

    public static int Integer(this JsonObject answer, string field) =>
        answer[field] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int number)
            ? number
            : throw Missing(answer, field, "an integer");

    public static bool Flag(this JsonObject answer, string field) =>
        answer[field]?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Missing(answer, field, "a boolean"),
        };

    public static byte[] Bytes(this JsonObject answer, string field) => Convert.FromBase64String(answer.Text(field));

    /// <summary>Bytes when the field is present (drivers may omit optional extensions).</summary>
    public static byte[]? OptionalBytes(this JsonObject answer, string field) =>
        answer[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? Convert.FromBase64String(value.GetValue<string>()) : null;

    public static JsonObject Object(this JsonObject answer, string field) =>
        answer[field] as JsonObject ?? throw Missing(answer, field, "an object");

    public static string Error(this JsonObject answer) =>
        answer["error"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "(no error text)";

    private static InvalidDataException Missing(JsonObject answer, string field, string expected)
    {
        var json = answer.ToJsonString();
        return new InvalidDataException($"Answer field {field} is not {expected}: {(json.Length > 400 ? json[..400] + "…" : json)}");
    }
}

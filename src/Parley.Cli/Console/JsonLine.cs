using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Cli.Console;

/// <summary>Formats one <c>--json</c> output object as a single line (unicode kept readable).</summary>
internal static class JsonLine
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Format(JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToJsonString(Options);
    }
}

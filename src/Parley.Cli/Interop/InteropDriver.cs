using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Protocol;

namespace Parley.Cli.Interop;

/// <summary>
/// <c>parley interop</c>: the JSON-lines driver of DESIGN.md §5 over Parley.Protocol, plus the extensions of
/// interop/README.md (<c>session_info</c>, <c>export_keys</c>, <c>fingerprint</c> with <c>theirScannable_b64</c>,
/// <c>xeddsa_sign</c>, <c>xeddsa_verify_batch</c>). One request per line in, exactly one answer per line out, in
/// order; all state in memory. stdout carries answers only.
/// </summary>
internal static class InteropDriver
{
    private const int MaxLineCharacters = 64 * 1024 * 1024;

    // Plain '+' and '/' in base64 (the default encoder would write them as \u002B); answers go to a pipe, not HTML.
    private static readonly JsonSerializerOptions AnswerFormat = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter diagnostics, CancellationToken cancellationToken)
    {
        var context = new InteropContext();
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return 0;
            }

            var (answer, quit) = await HandleAsync(context, line, diagnostics, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(answer.ToJsonString(AnswerFormat).AsMemory(), cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (quit)
            {
                return 0;
            }
        }

        return 0;
    }

    private static async Task<(JsonObject Answer, bool Quit)> HandleAsync(InteropContext context, string line, TextWriter diagnostics, CancellationToken cancellationToken)
    {
        if (line.Length > MaxLineCharacters)
        {
            return (Failure(null, false, $"line longer than {MaxLineCharacters} characters"), false);
        }

        JsonObject? request;
        try
        {
            request = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return (Failure(null, false, "line is not valid JSON"), false);
        }

        if (request is null)
        {
            return (Failure(null, false, "request must be a JSON object"), false);
        }

        var hasId = request.TryGetPropertyValue("id", out var id);
        var cmd = request["cmd"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        if (cmd == "quit")
        {
            return (Success(id, hasId, []), true);
        }

        try
        {
            var result = await DispatchAsync(context, cmd, new InteropRequest(request), cancellationToken).ConfigureAwait(false);
            return (Success(id, hasId, result), false);
        }
        catch (Exception e) when (e is InteropRequestException or ProtocolException or ArgumentException or FormatException)
        {
            return (Failure(id, hasId, e.Message), false);
        }
#pragma warning disable CA1031 // The driver must answer every line and keep running, whatever a command throws.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await diagnostics.WriteLineAsync($"interop: {cmd}: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return (Failure(id, hasId, $"internal error ({e.GetType().Name}): {e.Message}"), false);
        }
    }

    private static async ValueTask<JsonObject> DispatchAsync(InteropContext context, string? cmd, InteropRequest request, CancellationToken cancellationToken) => cmd switch
    {
        "init" => await SetupCommands.InitAsync(context, request).ConfigureAwait(false),
        "bundle" => await SetupCommands.BundleAsync(context, request, cancellationToken).ConfigureAwait(false),
        "export_keys" => await SetupCommands.ExportKeysAsync(context, cancellationToken).ConfigureAwait(false),
        "process_bundle" => await SessionCommands.ProcessBundleAsync(context, request, cancellationToken).ConfigureAwait(false),
        "encrypt" => await SessionCommands.EncryptAsync(context, request, cancellationToken).ConfigureAwait(false),
        "decrypt" => await SessionCommands.DecryptAsync(context, request, cancellationToken).ConfigureAwait(false),
        "session_info" => await SessionCommands.SessionInfoAsync(context, request, cancellationToken).ConfigureAwait(false),
        "fingerprint" => await IdentityCommands.FingerprintAsync(context, request, cancellationToken).ConfigureAwait(false),
        "skdm_create" => await GroupCommands.CreateDistributionAsync(context, request, cancellationToken).ConfigureAwait(false),
        "skdm_process" => await GroupCommands.ProcessDistributionAsync(context, request, cancellationToken).ConfigureAwait(false),
        "group_encrypt" => await GroupCommands.EncryptAsync(context, request, cancellationToken).ConfigureAwait(false),
        "group_decrypt" => await GroupCommands.DecryptAsync(context, request, cancellationToken).ConfigureAwait(false),
        "xeddsa_sign" => IdentityCommands.Sign(context, request),
        "xeddsa_verify_batch" => IdentityCommands.VerifyBatch(request),
        null => throw new InteropRequestException("cmd must be a string"),
        _ => throw new InteropRequestException($"unknown cmd {JsonSerializer.Serialize(cmd)}"),
    };

    private static JsonObject Success(JsonNode? id, bool hasId, JsonObject result)
    {
        var answer = new JsonObject { ["ok"] = true };
        if (hasId)
        {
            answer["id"] = id?.DeepClone();
        }

        foreach (var (key, value) in result.ToList())
        {
            result.Remove(key);
            answer[key] = value;
        }

        return answer;
    }

    private static JsonObject Failure(JsonNode? id, bool hasId, string error)
    {
        var answer = new JsonObject { ["ok"] = false };
        if (hasId)
        {
            answer["id"] = id?.DeepClone();
        }

        answer["error"] = error;
        return answer;
    }
}

using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Parley.Contracts;

namespace Parley.Server.Operations;

/// <summary>
/// Reads a JSON body as hostile input: content type checked, size capped per route before and while reading,
/// parsed by the strict source-generated context; every failure becomes a problem, never an exception.
/// </summary>
internal static class RequestBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, int maxBytes)
        where T : class
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(ParleyJson.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.UnsupportedMediaType());
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 64 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, Problems.PayloadTooLarge(maxBytes));
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(checked(buffer.Length * 2), maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, Problems.PayloadTooLarge(maxBytes));
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return (null, Problems.PayloadTooLarge(maxBytes));
                }
            }

            try
            {
                var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), type);
                return value is null ? (null, Problems.InvalidJson("The body is null.")) : (value, null);
            }
            catch (JsonException e)
            {
                return (null, Problems.InvalidJson(Describe(e)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A detail that names the JSON path and the kind of fault, without echoing the input.</summary>
    private static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
        var message = e.Message;
        var kind =
            message.Contains("could not be mapped", StringComparison.Ordinal) ? "unknown field"
            : message.Contains("missing required properties", StringComparison.Ordinal) ? "missing required field"
            : message.Contains("maximum configured depth", StringComparison.Ordinal) ? "nesting too deep"
            : e.InnerException is FormatException || message.Contains("Byte[]", StringComparison.Ordinal) ? "bad base64 or wrong value type"
            : message.Contains("null", StringComparison.OrdinalIgnoreCase) ? "null where a value is required"
            : "malformed JSON or wrong value type";
        return $"{kind} at {path}";
    }
}

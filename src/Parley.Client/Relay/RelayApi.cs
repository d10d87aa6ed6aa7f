using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;
using Parley.Contracts.Keys;
using Parley.Contracts.Messages;

namespace Parley.Client.Relay;

/// <summary>
/// A typed client for the relay's HTTP API (<c>/v1</c>). Failures become <see cref="RelayProblemException"/>
/// (the relay answered) or <see cref="ParleyException"/> with <see cref="ParleyErrorCode.RelayUnreachable"/>
/// (it did not). A 429 is retried after its <c>Retry-After</c> when that is short.
/// </summary>
internal sealed class RelayApi : IDisposable
{
    private const int MaxRateLimitRetries = 3;
    private readonly HttpClient _http;
    private readonly ParleyClientOptions _options;

    public RelayApi(Uri baseUrl, ParleyClientOptions options, string? authorization)
    {
        BaseUrl = baseUrl;
        _options = options;
        Authorization = authorization;
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = baseUrl,
            Timeout = options.RequestTimeout,
        };
        if (authorization is not null)
        {
            _http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }
    }

    public Uri BaseUrl { get; }

    /// <summary>The <c>Authorization</c> header value (a secret: never logged).</summary>
    public string? Authorization { get; }

    /// <summary>The WebSocket address of <c>/v1/stream</c>.</summary>
    public Uri StreamUri
    {
        get
        {
            var builder = new UriBuilder(new Uri(BaseUrl, ApiPaths.Stream))
            {
                Scheme = BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            };
            return builder.Uri;
        }
    }

    public Task<RegisterAccountResponse> RegisterAsync(RegisterAccountRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ApiPaths.Accounts, request, ParleyJsonContext.Default.RegisterAccountRequest, ParleyJsonContext.Default.RegisterAccountResponse, cancellationToken);

    public Task UploadKeysAsync(UploadKeysRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ApiPaths.Keys, request, ParleyJsonContext.Default.UploadKeysRequest, (JsonTypeInfo<object>?)null, cancellationToken);

    public Task<PreKeyCountResponse> CountAsync(CancellationToken cancellationToken) =>
        SendAsync<object, PreKeyCountResponse>(HttpMethod.Get, ApiPaths.KeyCount, null, null, ParleyJsonContext.Default.PreKeyCountResponse, cancellationToken);

    public Task<PreKeyBundleResponse> BundlesAsync(string username, CancellationToken cancellationToken) =>
        SendAsync<object, PreKeyBundleResponse>(HttpMethod.Get, ApiPaths.Bundle(username), null, null, ParleyJsonContext.Default.PreKeyBundleResponse, cancellationToken);

    public Task<SendMessageResponse> SendMessageAsync(string username, SendMessageRequest request, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ApiPaths.Send(username), request, ParleyJsonContext.Default.SendMessageRequest, ParleyJsonContext.Default.SendMessageResponse, cancellationToken);

    public Task<MessageBatch> FetchAsync(CancellationToken cancellationToken) =>
        SendAsync<object, MessageBatch>(HttpMethod.Get, ApiPaths.Messages, null, null, ParleyJsonContext.Default.MessageBatch, cancellationToken);

    public Task AcknowledgeAsync(IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ApiPaths.Acknowledge, new AcknowledgeRequest(ids), ParleyJsonContext.Default.AcknowledgeRequest, (JsonTypeInfo<object>?)null, cancellationToken);

    public Task<AccountResponse> AccountAsync(CancellationToken cancellationToken) =>
        SendAsync<object, AccountResponse>(HttpMethod.Get, ApiPaths.CurrentAccount, null, null, ParleyJsonContext.Default.AccountResponse, cancellationToken);

    public Task DeleteAccountAsync(CancellationToken cancellationToken) =>
        SendAsync<object, object>(HttpMethod.Delete, ApiPaths.CurrentAccount, null, null, null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse>? responseType, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null && requestType is not null)
            {
                request.Content = JsonContent.Create(body, requestType, new MediaTypeHeaderValue(ParleyJson.MediaType));
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw RelayErrors.Unreachable(BaseUrl, e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw RelayErrors.Unreachable(BaseUrl, e);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    if (responseType is null)
                    {
                        return default!;
                    }

                    try
                    {
                        var value = await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false);
                        return value ?? throw new ParleyException(ParleyErrorCode.RelayRejected, "The relay sent an empty answer.");
                    }
                    catch (JsonException e)
                    {
                        throw new ParleyException(ParleyErrorCode.RelayRejected, "The relay sent an answer this client does not understand.", e);
                    }
                    catch (HttpRequestException e)
                    {
                        throw RelayErrors.Unreachable(BaseUrl, e);
                    }
                }

                var retryAfter = RetryAfter(response);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxRateLimitRetries
                    && retryAfter is { } wait && wait <= _options.MaxRetryAfter)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new RelayProblemException(response.StatusCode, await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false), retryAfter);
            }
        }
    }

    private static async Task<ApiProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return bytes.Length is 0 or > 64 * 1024 ? null : JsonSerializer.Deserialize(bytes, ParleyJsonContext.Default.ApiProblem);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header.Date is { } date ? Max(date - DateTimeOffset.UtcNow, TimeSpan.Zero) : null;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

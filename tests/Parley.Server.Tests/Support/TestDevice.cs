using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Contracts.Errors;
using Parley.Contracts.Messages;

namespace Parley.Server.Tests.Support;

/// <summary>A registered device with an authenticated HTTP client and helpers for the common calls.</summary>
internal sealed class TestDevice(TestRelay relay, RegisterAccountResponse registration, RegisterAccountRequest keys, HttpClient http)
{
    public string Username => registration.Username;

    public int DeviceId => registration.DeviceId;

    public byte[] Password => registration.Password;

    public string Authorization => registration.AuthorizationHeaderValue();

    public RegisterAccountRequest Keys => keys;

    public HttpClient Http => http;

    public TestRelay Relay => relay;

    public static SendMessageRequest Message(int deviceId, byte[] content, Guid? messageId = null, EnvelopeType type = EnvelopeType.Whisper) =>
        new(messageId ?? Guid.NewGuid(), 1_700_000_000_000, [new OutgoingEnvelope(deviceId, type, content)]);

    public Task<HttpResponseMessage> SendRawAsync(string recipient, SendMessageRequest request) =>
        http.PutAsJsonAsync(ApiPaths.Send(recipient), request, ParleyJsonContext.Default.SendMessageRequest);

    /// <summary>Sends <paramref name="content"/> to device 1 of <paramref name="recipient"/>; asserts 200; returns the envelope id.</summary>
    public async Task<Guid> SendAsync(string recipient, byte[]? content = null, Guid? messageId = null)
    {
        using var response = await SendRawAsync(recipient, Message(1, content ?? RandomNumberGenerator.GetBytes(100), messageId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.SendMessageResponse);
        return Assert.Single(body!.Envelopes).EnvelopeId;
    }

    public async Task<MessageBatch> FetchAsync(int? limit = null)
    {
        var batch = await http.GetFromJsonAsync(
            ApiPaths.Messages + (limit is null ? "" : "?limit=" + limit), ParleyJsonContext.Default.MessageBatch);
        return batch!;
    }

    public async Task AcknowledgeAsync(params Guid[] ids)
    {
        using var response = await http.PostAsJsonAsync(ApiPaths.Acknowledge, new AcknowledgeRequest(ids), ParleyJsonContext.Default.AcknowledgeRequest);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public Task<StreamClient> ConnectAsync() => StreamClient.ConnectAsync(relay.BaseAddress, Authorization);
}

/// <summary>Reading problem responses.</summary>
internal static class ProblemAssert
{
    public static async Task<ApiProblem> IsAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ParleyJson.ProblemMediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.ApiProblem);
        Assert.NotNull(problem);
        Assert.Equal(code, problem.Code);
        Assert.Equal((int)status, problem.Status);
        return problem;
    }
}

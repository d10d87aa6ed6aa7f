using System.Net;
using System.Net.Http;
using System.Text;
using Parley.Cli.Peer;
using Parley.Client;
using Parley.Testing;

namespace Parley.Cli.Tests;

/// <summary>The peer listener over real Kestrel with a real peer-only profile: hostile requests are refused.</summary>
public sealed class PeerEndpointTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-peer-endpoint-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient _http = new();
    private ParleyClient _client = null!;
    private PeerLink _link = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        _client = await ParleyClient.CreateProfileAsync(new ProfileOptions { Directory = _directory, Passphrase = "pw", Username = "alice" });
        _link = new PeerLink(new ClientPeerCrypto(_client));
        _url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        await _link.ListenAsync(_url, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _link.DisposeAsync();
        await _client.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_bundle_is_public_keys_only_and_show_has_no_peer_before_hello()
    {
        var bundle = await _http.GetStringAsync(new Uri(_url, "/bundle"));
        Assert.Contains("\"name\":\"alice\"", bundle, StringComparison.Ordinal);
        var show = await _http.GetStringAsync(new Uri(_url, "/show"));
        Assert.Contains("(no peer yet)", show, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/message", "{\"from\":\"mallory\",\"seq\":1,\"type\":2,\"body_b64\":\"AAAA\"}", HttpStatusCode.Forbidden)]
    [InlineData("/message", "{not json", HttpStatusCode.BadRequest)]
    [InlineData("/hello", "{\"name\":\"mallory\",\"bundle_b64\":\"AAAA\"}", HttpStatusCode.UnprocessableEntity)]
    [InlineData("/hello", "{\"name\":\"alice\",\"bundle_b64\":\"AAAA\"}", HttpStatusCode.Conflict)]
    public async Task Hostile_requests_are_refused_with_a_problem(string path, string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri(_url, path), content);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Inbox_without_hello_and_oversized_bodies_are_refused()
    {
        using var inbox = await _http.GetAsync(new Uri(_url, "/inbox?name=mallory&after=0&wait=0"));
        Assert.Equal(HttpStatusCode.Forbidden, inbox.StatusCode);
        using var content = new ByteArrayContent(new byte[PeerWire.MaxBodyBytes + 1]);
        using var huge = await _http.PostAsync(new Uri(_url, "/message"), content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }
}

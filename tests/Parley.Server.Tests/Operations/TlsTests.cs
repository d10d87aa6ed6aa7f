using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Server.Tests.Operations;

/// <summary>TLS through Kestrel's standard certificate configuration, exactly as docs/server-api.md shows it.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Kestrel_endpoint_configuration_serves_https_and_wss()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-tls-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var pfx = Path.Combine(directory, "relay.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, password));

        var options = new RelayOptions { DataDirectory = Path.Combine(directory, "data") };
        options.ConfigurationArgs.Add("--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0");
        options.ConfigurationArgs.Add($"--Kestrel:Endpoints:Https:Certificate:Path={pfx}");
        options.ConfigurationArgs.Add($"--Kestrel:Endpoints:Https:Certificate:Password={password}");
        try
        {
            await using var relay = await RelayServer.StartAsync(options);
            Assert.Equal("https", relay.BaseAddress.Scheme);

            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { BaseAddress = relay.BaseAddress };
            using var health = await client.GetAsync(ApiPaths.Health);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);

            using var registered = await client.PostAsJsonAsync(ApiPaths.Accounts, TestKeys.Registration("alice"), ParleyJsonContext.Default.RegisterAccountRequest);
            var account = await registered.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse);
            using var socket = new System.Net.WebSockets.ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", account!.AuthorizationHeaderValue());
            socket.Options.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.Thumbprint;
            await socket.ConnectAsync(new UriBuilder(relay.BaseAddress) { Scheme = "wss", Path = ApiPaths.Stream }.Uri, CancellationToken.None);
            var buffer = new byte[256];
            var frame = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal("{\"type\":\"drained\"}", System.Text.Encoding.UTF8.GetString(buffer, 0, frame.Count));
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Testing;

namespace Parley.Server.Tests.Support;

/// <summary>A real relay on 127.0.0.1 (free port) with its own data folder and a captured log.</summary>
internal sealed class TestRelay : IAsyncDisposable
{
    private readonly List<HttpClient> clients = [];

    private TestRelay(RelayServer server, string dataDirectory, CapturedLog log, RelayOptions options)
    {
        Server = server;
        DataDirectory = dataDirectory;
        Log = log;
        Options = options;
    }

    public RelayServer Server { get; private set; }

    public string DataDirectory { get; }

    public CapturedLog Log { get; }

    public RelayOptions Options { get; }

    public Uri BaseAddress => Server.BaseAddress;

    public static async Task<TestRelay> StartAsync(
        Action<RelayLimits>? limits = null,
        TimeProvider? time = null,
        bool showCiphertext = false,
        string? dataDirectory = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
    {
        var directory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "parley-relay-tests", Guid.NewGuid().ToString("N"));
        var log = new CapturedLog();
        var options = new RelayOptions
        {
            DataDirectory = directory,
            ShowCiphertext = showCiphertext,
            TimeProvider = time ?? TimeProvider.System,
            ConfigureServices = services,
            ConfigureLogging = logging =>
            {
                logging.AddProvider(log);
                logging.AddFilter<CapturedLog>(null, LogLevel.Debug);
                logging.AddFilter("Microsoft", LogLevel.Warning);
            },
        };
        options.Urls.Clear();
        options.Urls.Add("http://127.0.0.1:0");

        // Generous defaults so that tests about one thing are not throttled by another.
        options.Limits.RequestsPerIp = 1_000_000;
        options.Limits.RequestsPerAccount = 1_000_000;
        options.Limits.RegistrationsPerIp = 1_000_000;
        limits?.Invoke(options.Limits);
        var server = await RelayServer.StartAsync(options);
        return new TestRelay(server, directory, log, options);
    }

    /// <summary>Stops the relay and starts a new one on the same data folder and options (new port).</summary>
    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await RelayServer.StartAsync(Options);
    }

    public HttpClient Anonymous()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        clients.Add(client);
        return client;
    }

    public HttpClient As(string authorization)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        return client;
    }

    public async Task<TestDevice> RegisterAsync(string username, int oneTimePreKeys = 0, int oneTimeKyberPreKeys = 0)
    {
        var request = TestKeys.Registration(username, oneTimePreKeys, oneTimeKyberPreKeys);
        using var response = await Anonymous().PostAsJsonAsync(ApiPaths.Accounts, request, ParleyJsonContext.Default.RegisterAccountRequest);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var registered = await response.Content.ReadFromJsonAsync(ParleyJsonContext.Default.RegisterAccountResponse);
        Assert.NotNull(registered);
        return new TestDevice(this, registered, request, As(registered.AuthorizationHeaderValue()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

using Microsoft.Extensions.Logging;
using Parley.Server;
using Parley.Testing;

namespace Parley.Client.Tests.Support;

/// <summary>
/// A real relay on 127.0.0.1 with its own data folder and a fixed port, so it can be stopped and started
/// again at the same address (the outbox tests need the relay to come back where clients expect it).
/// </summary>
internal sealed class TestRelay : IAsyncDisposable
{
    private readonly Action<RelayLimits>? _limits;
    private RelayServer? _server;

    private TestRelay(string dataDirectory, int port, Action<RelayLimits>? limits)
    {
        DataDirectory = dataDirectory;
        Port = port;
        _limits = limits;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public bool IsRunning => _server is not null;

    public static async Task<TestRelay> StartAsync(Action<RelayLimits>? limits = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-client-tests", "relay-" + Guid.NewGuid().ToString("N"));
        for (var attempt = 0; ; attempt++)
        {
            var relay = new TestRelay(directory, Loopback.FreePort(), limits);
            try
            {
                await relay.StartAgainAsync();
                return relay;
            }
            catch (IOException) when (attempt < 5)
            {
                // The free port was taken in between: pick another.
            }
        }
    }

    /// <summary>Starts the relay (again) on the same port and data folder.</summary>
    public async Task StartAgainAsync()
    {
        if (_server is not null)
        {
            return;
        }

        var options = new RelayOptions
        {
            DataDirectory = DataDirectory,
            // The relay's own tests cover its log; here it would only drown the test output.
            ConfigureLogging = logging => logging.ClearProviders(),
        };
        options.Urls.Clear();
        options.Urls.Add($"http://127.0.0.1:{Port}");
        options.Limits.RequestsPerIp = 1_000_000;
        options.Limits.RequestsPerAccount = 1_000_000;
        options.Limits.RegistrationsPerIp = 1_000_000;
        _limits?.Invoke(options.Limits);
        _server = await RelayServer.StartAsync(options);
    }

    /// <summary>Stops the relay; its data stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TestFiles.DeleteQuietly(DataDirectory);
    }
}

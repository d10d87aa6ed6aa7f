using System.Net.Http;
using Parley.Testing;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// <c>parley server --data DIR --urls URL</c> as a separate process. Ready when it has logged that it listens
/// (and, on loopback, when <c>/v1/health</c> answers 200). Can be stopped (kill -9) and started again on the
/// same port and data, to test a relay that goes away and comes back.
/// </summary>
public sealed class RelayProcess : IAsyncDisposable
{
    private readonly List<CliProcess> _runs = [];
    private readonly IReadOnlyList<string>? _prefix;
    private readonly string _listen;

    private RelayProcess(string dataDirectory, Uri url, string listen, IReadOnlyList<string>? prefix, bool showCiphertext = false)
    {
        ShowCiphertext = showCiphertext;
        DataDirectory = dataDirectory;
        Url = url;
        _listen = listen;
        _prefix = prefix;
    }

    /// <summary>Whether the relay runs with <c>--show-ciphertext</c> (its log then carries each envelope's first bytes).</summary>
    public bool ShowCiphertext { get; }

    /// <summary>Where clients reach the relay.</summary>
    public Uri Url { get; }

    public string DataDirectory { get; }

    public CliProcess Current => _runs[^1];

    /// <summary>Every log line of every run of the relay (stdout and stderr).</summary>
    public IReadOnlyList<string> AllLogLines => [.. _runs.SelectMany(r => r.StandardOutput.Concat(r.StandardError))];

    /// <summary>Starts a relay on a free loopback port.</summary>
    public static async Task<RelayProcess> StartAsync(string dataDirectory)
    {
        var port = Loopback.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var relay = new RelayProcess(dataDirectory, url, url.ToString().TrimEnd('/'), prefix: null);
        await relay.StartAgainAsync().ConfigureAwait(false);
        return relay;
    }

    /// <summary>Starts a relay behind a prefix (a network namespace), listening on <paramref name="listen"/>, reached at <paramref name="url"/>.</summary>
    public static async Task<RelayProcess> StartAsync(string dataDirectory, Uri url, string listen, IReadOnlyList<string> prefix, bool showCiphertext = false)
    {
        var relay = new RelayProcess(dataDirectory, url, listen, prefix, showCiphertext);
        await relay.StartAgainAsync().ConfigureAwait(false);
        return relay;
    }

    /// <summary>(Re)starts the relay on the same address and data.</summary>
    public async Task StartAgainAsync()
    {
        List<string> arguments = ["server", "--data", DataDirectory, "--urls", _listen];
        if (ShowCiphertext)
        {
            arguments.Add("--show-ciphertext");
        }

        var run = ParleyExecutable.Start($"relay#{_runs.Count + 1}", arguments, prefix: _prefix);
        _runs.Add(run);
        await run.WaitForOutputAsync(l => l.Contains("Now listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the relay listening").ConfigureAwait(false);
        if (_prefix is null)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.TrueAsync(
                async () =>
                {
                    try
                    {
                        using var response = await http.GetAsync(new Uri(Url, "/v1/health")).ConfigureAwait(false);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(30),
                "relay health 200").ConfigureAwait(false);
        }
    }

    /// <summary><c>kill -9</c> of the relay.</summary>
    public Task KillAsync() => Current.KillAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Parley.Testing;

namespace Parley.Server.Tests.Support;

/// <summary>
/// The real <c>parley server</c> as a child process (<c>dotnet parley.dll server …</c>), for tests that kill it.
/// Its stdout and stderr are collected line by line.
/// </summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines;

    private RelayProcess(Process process, Uri baseAddress, ConcurrentQueue<string> lines)
    {
        this.process = process;
        BaseAddress = baseAddress;
        this.lines = lines;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The parley.dll built next to this test assembly's configuration.</summary>
    public static string ParleyDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Parley.Cli", "bin", configuration, "net10.0", "parley.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Parley.Cli first.", path);
        }
    }

    /// <summary>Starts <c>parley server --data DIR --urls http://127.0.0.1:PORT</c> and waits for <c>/v1/health</c>.</summary>
    public static async Task<RelayProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment, ConcurrentQueue<string> lines)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Loopback.FreePort();
            var started = Start(["server", "--data", dataDirectory, "--urls", $"http://127.0.0.1:{port}"], environment, lines);
            var relay = new RelayProcess(started, new Uri($"http://127.0.0.1:{port}"), lines);
            if (await relay.WaitHealthyAsync(TimeSpan.FromSeconds(60)))
            {
                return relay;
            }

            await relay.DisposeAsync();
            if (attempt == 2)
            {
                throw new InvalidOperationException("parley server did not become healthy:\n" + string.Join('\n', lines.TakeLast(30)));
            }
        }
    }

    /// <summary>Runs <c>parley ARGS</c> to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        using var process = Start(args, new Dictionary<string, string>(), output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, string.Join('\n', output));
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await WaitForExitAsync();
    }

    public async Task WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private static Process Start(string[] args, IReadOnlyDictionary<string, string> environment, ConcurrentQueue<string> lines)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(ParleyDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitHealthyAsync(TimeSpan within)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(ApiPaths.Health);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        return false;
    }
}

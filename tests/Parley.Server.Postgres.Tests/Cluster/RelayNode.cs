using System.Diagnostics;
using Parley.Server.Postgres.Storage;
using Parley.Testing;
using Parley.Testing.Interop;

namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>
/// One relay node: a real <c>parley server --store postgres</c> child process on a fixed loopback port. It can be
/// killed (<c>kill -9</c>), paused and resumed (<c>SIGSTOP</c>/<c>SIGCONT</c>) and started again on the same port.
/// Ready means: <c>/v1/health</c> answers and the node's LISTEN connection is in <c>pg_stat_activity</c>.
/// </summary>
internal sealed class RelayNode : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly string connectionString;
    private readonly StoreConfiguration configuration;
    private readonly string workingDirectory;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();
    private Process? process;
    private int runs;
    private bool inRotation = true;

    private RelayNode(string name, int port, string connectionString, IReadOnlyDictionary<string, string> environment, StoreConfiguration configuration)
    {
        this.configuration = configuration;
        workingDirectory = Path.Combine(Path.GetTempPath(), "parley-node-" + Guid.NewGuid().ToString("N"));
        Name = name;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}");
        this.connectionString = connectionString;
        this.environment = environment;
    }

    /// <summary>The node's name (<c>Parley:Node</c>): its LISTEN backend is <c>application_name = parley-listen:NAME</c>.</summary>
    public string Name { get; }

    public int Port { get; }

    public Uri Url { get; }

    /// <summary>The current process id (0 when not running).</summary>
    public int ProcessId => process is { HasExited: false } running ? running.Id : 0;

    /// <summary>Whether the load balancer's health check (<see cref="HealthProbe"/>) currently sends traffic here.</summary>
    public bool InRotation
    {
        get => Volatile.Read(ref inRotation);
        set => Volatile.Write(ref inRotation, value);
    }

    /// <summary>How many times this node was started.</summary>
    public int Runs => runs;

    /// <summary>Lines the node printed that mention its wake-up connection ("Lost the wake-up connection …").</summary>
    public int ListenLostLines { get; private set; }

    /// <summary>The last lines the node printed, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (gate)
            {
                return $"--- {Name} (last {lines.Count} lines) ---\n" + string.Join('\n', lines);
            }
        }
    }

    /// <summary>Starts a node on a free port.</summary>
    /// <param name="extraEnvironment">More environment (limits, a crash point); relay settings as <c>Parley__…</c>.</param>
    /// <param name="configuration">How the node is told to use PostgreSQL (each of the documented ways works).</param>
    public static async Task<RelayNode> StartAsync(
        string name, string connectionString, IReadOnlyDictionary<string, string>? extraEnvironment = null, StoreConfiguration configuration = StoreConfiguration.Arguments)
    {
        var node = new RelayNode(name, Loopback.FreePort(), connectionString, extraEnvironment ?? new Dictionary<string, string>(), configuration);
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>(Re)starts the node on its port; <paramref name="crashPoint"/> arms <c>PARLEY_CRASH_POINT</c> for this run only.</summary>
    public async Task StartAgainAsync(string? crashPoint = null)
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException($"{Name} is running.");
        }

        // A bounded pool per node, so that the nodes of every test together stay well under the test server's
        // max_connections (300) while other test projects use it too.
        var nodeConnection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 40 }.ConnectionString;
        Directory.CreateDirectory(workingDirectory);
        var command = Drivers.ParleyCommand();
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        List<string> arguments = [command.Arguments[0], "server", "--urls", Url.ToString().TrimEnd('/')];
        switch (configuration)
        {
            case StoreConfiguration.Arguments:
                arguments.AddRange(["--store", "postgres", "--postgres", nodeConnection]);
                break;
            case StoreConfiguration.Environment:
                start.Environment["Parley__Store"] = "postgres";
                start.Environment["ConnectionStrings__Parley"] = nodeConnection;
                break;
            case StoreConfiguration.AppSettings:
                // ASP.NET Core reads appsettings.json from the working directory (the relay's content root).
                File.WriteAllText(
                    Path.Combine(workingDirectory, "appsettings.json"),
                    new System.Text.Json.Nodes.JsonObject
                    {
                        ["Parley"] = new System.Text.Json.Nodes.JsonObject { ["Store"] = "postgres" },
                        ["ConnectionStrings"] = new System.Text.Json.Nodes.JsonObject { ["Parley"] = nodeConnection },
                    }.ToJsonString());
                break;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Parley__Node"] = Name;
        start.Environment["PARLEY_CRASH_POINT"] = crashPoint ?? "";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var started = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Name}.");
        started.OutputDataReceived += (_, e) => Collect(e.Data);
        started.ErrorDataReceived += (_, e) => Collect(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        runs++;
        Collect($"=== run {runs} (pid {started.Id}{(crashPoint is null ? "" : ", crash point " + crashPoint)}) ===");
        await WaitReadyAsync(started);
    }

    /// <summary><c>kill -9</c>: the process dies at once, without unwinding, flushing or closing sockets politely.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to exit by itself (a crash point), bounded.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        if (process is null)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public bool HasExited => process is null || process.HasExited;

    /// <summary><c>SIGSTOP</c>: the node freezes with its sockets and database sessions open, like a long GC pause.</summary>
    public Task PauseAsync() => Shell.SignalAsync(ProcessId, "STOP");

    /// <summary><c>SIGCONT</c>.</summary>
    public Task ResumeAsync() => Shell.SignalAsync(ProcessId, "CONT");

    /// <summary>Ends the node's LISTEN backend from the server side (<c>pg_terminate_backend</c>); returns how many were ended.</summary>
    public async Task<long> TerminateListenBackendAsync() =>
        await Sql.CountAsync(
            connectionString,
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresDatabase.ListenApplicationPrefix}{Name}' AND datname = current_database()");

    /// <summary>Waits until the node's LISTEN connection is back (after a terminated backend or a server restart).</summary>
    public Task WaitListeningAsync(TimeSpan within) =>
        Eventually.TrueAsync(ListeningAsync, within, $"{Name} listening for wake-ups");

    public async ValueTask DisposeAsync()
    {
        if (process is { } running)
        {
            if (!running.HasExited)
            {
                try
                {
                    await Shell.SignalAsync(running.Id, "CONT");
                }
                catch (InvalidOperationException)
                {
                    // Not stopped, or already gone.
                }

                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync();
            }

            running.Dispose();
        }

        if (Directory.Exists(workingDirectory))
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private async Task WaitReadyAsync(Process started)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(
            async () =>
            {
                if (started.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {started.ExitCode} while starting.\n{Transcript}");
                }

                try
                {
                    using var response = await http.GetAsync(new Uri(Url, "/v1/health"));
                    return response.IsSuccessStatusCode && await ListeningAsync();
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            $"{Name} ready (health 200 and LISTEN connected)");
    }

    private async Task<bool> ListeningAsync()
    {
        try
        {
            return await Sql.CountAsync(
                connectionString,
                $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{PostgresDatabase.ListenApplicationPrefix}{Name}' AND datname = current_database() AND query ILIKE 'LISTEN%'") > 0;
        }
        catch (Npgsql.NpgsqlException)
        {
            return false;
        }
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            if (line.Contains("Lost the wake-up connection", StringComparison.Ordinal))
            {
                ListenLostLines++;
            }

            lines.Enqueue(line);
            while (lines.Count > KeptLines)
            {
                lines.Dequeue();
            }
        }
    }
}

/// <summary>The documented ways to put a node on PostgreSQL.</summary>
internal enum StoreConfiguration
{
    /// <summary><c>parley server --store postgres --postgres CONNSTRING</c>.</summary>
    Arguments,

    /// <summary><c>Parley__Store=postgres</c> and <c>ConnectionStrings__Parley</c> in the environment.</summary>
    Environment,

    /// <summary><c>appsettings.json</c> in the working directory.</summary>
    AppSettings,
}

using System.Text.Json.Nodes;

namespace Parley.Testing.Interop;

/// <summary>Finds and starts the drivers of each <see cref="DriverKind"/>.</summary>
/// <remarks>
/// Environment overrides: <c>PARLEY_INTEROP_NODE</c> (the node executable, default <c>node</c>) and
/// <c>PARLEY_INTEROP_PARLEY_DLL</c> (the parley.dll to run, default: the one built next to the tests, else
/// src/Parley.Cli/bin/{Release,Debug}).
/// </remarks>
public static class Drivers
{
    private static readonly Lazy<DriverAvailability> ParleyProbe = new(ProbeParley, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The command that starts a driver of <paramref name="kind"/>.</summary>
    public static DriverCommand CommandFor(DriverKind kind) => kind switch
    {
        DriverKind.Libsignal => LibsignalCommand(),
        DriverKind.Parley => ParleyCommand(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Starts a driver of <paramref name="kind"/> (installing the Node harness first if needed).</summary>
    public static DriverProcess Start(DriverKind kind) => DriverProcess.Start(CommandFor(kind));

    /// <summary>
    /// Whether <c>parley interop</c> works, found out once per process by starting it and sending <c>init</c>.
    /// </summary>
    public static DriverAvailability Parley => ParleyProbe.Value;

    /// <summary><c>node interop/driver.mjs</c>.</summary>
    public static DriverCommand LibsignalCommand()
    {
        var directory = NodeHarness.EnsureInstalled();
        var node = Environment.GetEnvironmentVariable("PARLEY_INTEROP_NODE");
        return new DriverCommand("libsignal", string.IsNullOrEmpty(node) ? "node" : node, [NodeHarness.DriverScript], directory);
    }

    /// <summary><c>dotnet parley.dll interop</c>, with the dotnet host that runs the tests.</summary>
    public static DriverCommand ParleyCommand()
    {
        var dll = LocateParleyDll();
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return new DriverCommand(
            "parley",
            string.IsNullOrEmpty(host) || !File.Exists(host) ? "dotnet" : host,
            [dll, "interop"],
            Path.GetDirectoryName(dll)!);
    }

    private static string LocateParleyDll()
    {
        var overridden = Environment.GetEnvironmentVariable("PARLEY_INTEROP_PARLEY_DLL");
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException($"PARLEY_INTEROP_PARLEY_DLL points at {overridden}, which does not exist.", overridden);
        }

        // A test project that references Parley.Cli gets parley.dll and its runtimeconfig copied next to it.
        var besideTests = Path.Combine(AppContext.BaseDirectory, "parley.dll");
        if (File.Exists(besideTests) && File.Exists(Path.Combine(AppContext.BaseDirectory, "parley.runtimeconfig.json")))
        {
            return besideTests;
        }

        var built = new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Parley.Cli", "bin", configuration, "net10.0", "parley.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
        return built ?? throw new FileNotFoundException(
            $"parley.dll was found neither next to the tests ({AppContext.BaseDirectory}) nor under src/Parley.Cli/bin. Build src/Parley.Cli first.");
    }

    private static DriverAvailability ProbeParley()
    {
        DriverCommand command;
        try
        {
            command = ParleyCommand();
        }
        catch (FileNotFoundException e)
        {
            return new DriverAvailability(false, e.Message);
        }

        try
        {
            var driver = DriverProcess.Start(command);
            try
            {
                var answer = driver.RequestAsync(
                        new JsonObject { ["cmd"] = "init", ["name"] = "parley-probe", ["deviceId"] = 1 },
                        TimeSpan.FromSeconds(30))
                    .GetAwaiter().GetResult();
                return answer["ok"]?.GetValueKind() == System.Text.Json.JsonValueKind.True
                    ? new DriverAvailability(true, $"`{command}` answered init with ok:true")
                    : new DriverAvailability(false, $"`{command}` answered init with {answer.ToJsonString()}");
            }
            finally
            {
                driver.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        catch (DriverException e)
        {
            return new DriverAvailability(false, e.Message);
        }
    }
}

/// <summary>Whether a driver can be used, and why (or why not).</summary>
public sealed record DriverAvailability(bool Available, string Reason);

using System.Globalization;

namespace Parley.LoadGenerator;

/// <summary>What the load generator does.</summary>
internal enum LoadMode
{
    /// <summary>Send for a duration, measure delivered messages/s, latency and relay CPU.</summary>
    Load,

    /// <summary>Open idle streams in steps and measure the relay's resident memory per connection.</summary>
    Idle,

    /// <summary>Only register accounts into <c>--accounts</c> (to measure idle memory on a fresh relay process).</summary>
    Register,
}

/// <summary>Which relay the clients talk to.</summary>
internal enum LoadTarget
{
    /// <summary><c>parley server</c>: authenticated HTTP sends, JSON frames on <c>/v1/stream</c>, acknowledgements.</summary>
    Parley,

    /// <summary><c>parley-bare-relay</c>: binary frames, no authentication, no storage.</summary>
    Bare,
}

/// <summary>Command-line options of the load generator.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: parley-loadgen --url URL[,URL…] [options]

          --mode M           load (default) | idle | register
          --target T         parley (default: `parley server`) | bare (bench/Parley.BareRelay)
          --send S           http (default) | ws: bare only; parley accepts sends over HTTP only
          --until U          what frees a send slot: answered (default: the send call returned) | delivered
                             (the message reached its recipient's socket: K slots = K messages in flight)
          --url URLS         relay nodes, comma-separated; clients are spread over them round-robin
          --clients N        simulated devices (default 20)
          --concurrency K    send slots per client (default 2)
          --rate R           target messages/s over all clients; 0 = as fast as possible (default 0)
          --duration S       measured seconds (default 20)
          --warmup S         unmeasured seconds first (default 3)
          --size BYTES       envelope content size (default 256)
          --pid PID          a relay process whose CPU (load) or memory (idle) to report; repeat for each node
          --cpu-comm NAME    also report the summed CPU of all processes named NAME (e.g. postgres)
          --accounts FILE    parley: registered accounts, one "authorization-header username" per line; used
                             when it exists (first N lines), else written after registering (default: none)
          --steps N,N…       idle: open connections up to each count in turn (default 1000,10000)
          --settle S         idle: seconds to wait after each step before reading memory (default 5)
          --parallel P       registrations and connects in flight at once (default 32)
          --label TEXT       a label for the result line
          --json             print the result as one JSON object per line
        """;

    public LoadMode Mode { get; set; } = LoadMode.Load;

    public LoadTarget Target { get; set; } = LoadTarget.Parley;

    public bool SendOverWebSocket { get; set; }

    public bool UntilDelivered { get; set; }

    public List<Uri> Urls { get; } = [];

    public int Clients { get; set; } = 20;

    public int Concurrency { get; set; } = 2;

    public double Rate { get; set; }

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(3);

    public int Size { get; set; } = 256;

    public List<int> Pids { get; } = [];

    public string? CpuComm { get; set; }

    public string? AccountsFile { get; set; }

    public List<int> Steps { get; } = [];

    public TimeSpan Settle { get; set; } = TimeSpan.FromSeconds(5);

    public int Parallel { get; set; } = 32;

    public string Label { get; set; } = "";

    public bool Json { get; set; }

    /// <summary>Parses the arguments; null (with a message) when they are wrong.</summary>
    public static LoadOptions? Parse(string[] args, TextWriter error)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--mode" when value is not null:
                    options.Mode = Enum.Parse<LoadMode>(value, ignoreCase: true);
                    i++;
                    break;
                case "--target" when value is not null:
                    options.Target = Enum.Parse<LoadTarget>(value, ignoreCase: true);
                    i++;
                    break;
                case "--send" when value is "http" or "ws":
                    options.SendOverWebSocket = value == "ws";
                    i++;
                    break;
                case "--until" when value is "answered" or "delivered":
                    options.UntilDelivered = value == "delivered";
                    i++;
                    break;
                case "--url" when value is not null:
                    options.Urls.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u)));
                    i++;
                    break;
                case "--clients" when value is not null:
                    options.Clients = Positive(value);
                    i++;
                    break;
                case "--concurrency" when value is not null:
                    options.Concurrency = Positive(value);
                    i++;
                    break;
                case "--rate" when value is not null:
                    options.Rate = double.Parse(value, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--duration" when value is not null:
                    options.Duration = TimeSpan.FromSeconds(Positive(value));
                    i++;
                    break;
                case "--warmup" when value is not null:
                    options.Warmup = TimeSpan.FromSeconds(int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture));
                    i++;
                    break;
                case "--size" when value is not null:
                    options.Size = Math.Max(Positive(value), Payload.Bytes);
                    i++;
                    break;
                case "--pid" when value is not null:
                    options.Pids.Add(Positive(value));
                    i++;
                    break;
                case "--cpu-comm" when value is not null:
                    options.CpuComm = value;
                    i++;
                    break;
                case "--accounts" when value is not null:
                    options.AccountsFile = value;
                    i++;
                    break;
                case "--steps" when value is not null:
                    options.Steps.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Positive));
                    i++;
                    break;
                case "--settle" when value is not null:
                    options.Settle = TimeSpan.FromSeconds(int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture));
                    i++;
                    break;
                case "--parallel" when value is not null:
                    options.Parallel = Positive(value);
                    i++;
                    break;
                case "--label" when value is not null:
                    options.Label = value;
                    i++;
                    break;
                case "--json":
                    options.Json = true;
                    break;
                default:
                    error.WriteLine($"parley-loadgen: unexpected argument '{args[i]}'\n{Usage}");
                    return null;
            }
        }

        if (options.Steps.Count == 0)
        {
            options.Steps.AddRange([1000, 10_000]);
        }

        if (options.Mode == LoadMode.Idle)
        {
            options.Clients = options.Steps.Max();
        }

        if (options.Urls.Count == 0 || options.Clients < 2)
        {
            error.WriteLine($"parley-loadgen: at least one --url and two clients are needed\n{Usage}");
            return null;
        }

        if (options.SendOverWebSocket && options.Target == LoadTarget.Parley)
        {
            error.WriteLine("parley-loadgen: `parley server` takes sends over HTTP only (--send ws is for --target bare)");
            return null;
        }

        if (options.Mode == LoadMode.Register && (options.Target != LoadTarget.Parley || options.AccountsFile is null))
        {
            error.WriteLine("parley-loadgen: --mode register needs --target parley and --accounts FILE");
            return null;
        }

        return options;
    }

    private static int Positive(string value)
    {
        var parsed = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return parsed > 0 ? parsed : throw new FormatException($"{value} is not a positive number.");
    }
}

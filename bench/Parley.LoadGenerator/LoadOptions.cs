using System.Globalization;

namespace Parley.LoadGenerator;

/// <summary>Command-line options of the load generator.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: parley-loadgen --url URL[,URL…] [options]

          --url URLS         relay nodes, comma-separated; clients are spread over them round-robin
          --clients N        simulated devices (default 20)
          --concurrency K    sends in flight per client (default 2)
          --rate R           target messages/s over all clients; 0 = as fast as possible (default 0)
          --duration S       measured seconds (default 20)
          --warmup S         unmeasured seconds first (default 3)
          --size BYTES       envelope content size (default 256)
          --pid PID          a relay process whose CPU to report; repeat for each node
          --cpu-comm NAME    also report the summed CPU of all processes named NAME (e.g. postgres)
          --label TEXT       a label for the result line
          --json             print the result as one JSON object
        """;

    public List<Uri> Urls { get; } = [];

    public int Clients { get; set; } = 20;

    public int Concurrency { get; set; } = 2;

    public double Rate { get; set; }

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(3);

    public int Size { get; set; } = 256;

    public List<int> Pids { get; } = [];

    public string? CpuComm { get; set; }

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
                    options.Size = Math.Max(Positive(value), LoadClient.HeaderBytes);
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

        if (options.Urls.Count == 0 || options.Clients < 2)
        {
            error.WriteLine($"parley-loadgen: at least one --url and two clients are needed\n{Usage}");
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

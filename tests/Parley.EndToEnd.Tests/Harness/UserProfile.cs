using System.Text.Json.Nodes;

namespace Parley.EndToEnd.Tests.Harness;

/// <summary>
/// One person's profile folder and passphrase, and the CLI invocations the tests make with it
/// (each a separate <c>dotnet parley.dll</c> process).
/// </summary>
public sealed class UserProfile
{
    public UserProfile(string name, string directory, string passphrase, IReadOnlyList<string>? prefix = null)
    {
        Name = name;
        Directory = directory;
        Passphrase = passphrase;
        Prefix = prefix;
    }

    public string Name { get; }

    public string Directory { get; }

    public string Passphrase { get; }

    /// <summary>A command prefix such as <c>ip netns exec NS</c>, or null to run directly.</summary>
    public IReadOnlyList<string>? Prefix { get; }

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["PARLEY_HOME"] = Directory,
        ["PARLEY_PASSPHRASE"] = Passphrase,
    };

    /// <summary><c>parley init --server URL --name NAME</c> in a new folder under <paramref name="root"/>; fails the test unless it exits 0.</summary>
    public static async Task<UserProfile> CreateAsync(string root, string name, Uri relay, IReadOnlyList<string>? prefix = null)
    {
        var profile = new UserProfile(name, Path.Combine(root, name), "passphrase of " + name + " ✓", prefix);
        var result = await profile.RunAsync(["init", "--server", relay.ToString(), "--name", name]);
        Assert.True(result.ExitCode == 0, $"init {name} failed: {result}");
        return profile;
    }

    public Task<CliResult> RunAsync(IEnumerable<string> arguments, string? input = null, IReadOnlyDictionary<string, string?>? extraEnvironment = null, TimeSpan? within = null)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return ParleyExecutable.RunAsync(arguments, environment, input, within, Prefix);
    }

    public CliProcess Start(string label, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        return ParleyExecutable.Start(label, arguments, environment, Prefix);
    }

    /// <summary><c>parley send TO</c> with the text on stdin; fails the test unless it exits 0.</summary>
    public async Task<CliResult> SendAsync(string to, string text)
    {
        var result = await RunAsync(["send", to], input: text);
        Assert.True(result.ExitCode == 0, $"{Name}: send to {to} failed: {result}");
        return result;
    }

    /// <summary><c>parley receive --json --wait S</c> until <paramref name="count"/> messages arrived (bounded); returns them in order.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int count, TimeSpan? within = null)
    {
        var received = new List<ReceivedMessage>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} received {received.Count} of {count} messages in time");
            }

            var result = await RunAsync(["receive", "--json", "--wait", "10"]);
            Assert.True(result.ExitCode == 0, $"{Name}: receive failed: {result}");
            received.AddRange(result.Output.Select(ReceivedMessage.Parse));
        }

        return received;
    }
}

/// <summary>One line of <c>parley receive --json</c>: <c>{"from","text","id","sent"}</c>.</summary>
public sealed record ReceivedMessage(string From, string Text, string Id, DateTimeOffset Sent)
{
    public static ReceivedMessage Parse(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        Assert.Equal(["from", "text", "id", "sent"], json.Select(p => p.Key));
        return new ReceivedMessage(
            json["from"]!.GetValue<string>(),
            json["text"]!.GetValue<string>(),
            json["id"]!.GetValue<string>(),
            DateTimeOffset.Parse(json["sent"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }
}

using System.Text.Json.Nodes;
using Parley.Cli.CommandLine;
using Parley.Cli.Console;
using Parley.Cli.Profiles;

namespace Parley.Cli.Commands;

/// <summary>What a running verb gets: its parsed arguments, the console, output helpers and the profile.</summary>
internal sealed class CommandContext
{
    private readonly Lock _outputGate = new();

    public CommandContext(CommandSpec spec, ParsedArguments arguments, IConsoleUi ui, CancellationToken cancellationToken)
    {
        Spec = spec;
        Arguments = arguments;
        Ui = ui;
        CancellationToken = cancellationToken;
        Json = arguments.Has(GlobalOptions.Json.Name);
    }

    public CommandSpec Spec { get; }

    public ParsedArguments Arguments { get; }

    public IConsoleUi Ui { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json { get; }

    /// <summary>The profile folder (<c>--profile</c>, <c>$PARLEY_HOME</c> or the data folder).</summary>
    public string ProfilePath => ProfileLocator.Resolve(Arguments.Value(GlobalOptions.Profile.Name), Ui.GetEnvironmentVariable);

    /// <summary>A result: JSON on stdout with <c>--json</c>, else the human line on stdout.</summary>
    public void Result(string human, JsonObject json)
    {
        lock (_outputGate)
        {
            Ui.Out.WriteLine(Json ? JsonLine.Format(json) : human);
            Ui.Out.Flush();
        }
    }

    /// <summary>Human text for the user (always stderr, so stdout stays clean for results).</summary>
    public void Info(string line)
    {
        lock (_outputGate)
        {
            Ui.Error.WriteLine(line);
            Ui.Error.Flush();
        }
    }

    /// <summary>Shows a progress indicator while the returned object lives (stderr terminal only).</summary>
    public IDisposable Progress(string what) => Ui.BeginProgress(what);
}

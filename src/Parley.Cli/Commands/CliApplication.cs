using Parley.Cli.CommandLine;
using Parley.Cli.Console;

namespace Parley.Cli.Commands;

/// <summary>
/// Finds the verb, parses its words, answers <c>--help</c>, runs it, and turns every failure into one line on
/// stderr and an exit code from <see cref="ExitCodes"/>.
/// </summary>
internal sealed class CliApplication
{
    private readonly IReadOnlyList<CliCommand> _commands;

    public CliApplication(IReadOnlyList<CliCommand> commands)
    {
        _commands = commands;
    }

    public IReadOnlyList<CliCommand> Commands => _commands;

    public async Task<int> RunAsync(IReadOnlyList<string> args, IConsoleUi ui, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(ui);
        var verbName = "";
        try
        {
            var (verbIndex, leading) = FindVerb(args);
            if (verbIndex < 0)
            {
                var askedForHelp = args.Any(a => a is "--help" or "-h" or "help");
                (askedForHelp ? ui.Out : ui.Error).WriteLine(HelpWriter.Overview(_commands.Select(c => c.Spec)));
                return askedForHelp ? ExitCodes.Success : ExitCodes.Usage;
            }

            verbName = args[verbIndex];
            if (verbName == "help")
            {
                return Help(args.Skip(verbIndex + 1).FirstOrDefault(), ui);
            }

            var command = _commands.FirstOrDefault(c => c.Spec.Name == verbName)
                ?? throw CliException.Usage($"unknown verb '{verbName}' (verbs: {string.Join(", ", _commands.Select(c => c.Spec.Name))}; see parley --help)");
            var words = leading.Concat(args.Skip(verbIndex + 1)).ToList();
            if (command.ParsesOwnArguments)
            {
                return await command.ExecuteRawAsync(words, ui, cancellationToken).ConfigureAwait(false);
            }

            var parsed = ArgumentParser.Parse(command.Spec, words);
            if (parsed.Has(GlobalOptions.Help.Name))
            {
                ui.Out.WriteLine(HelpWriter.ForVerb(command.Spec));
                return ExitCodes.Success;
            }

            var context = new CommandContext(command.Spec, parsed, ui, cancellationToken);
            return await command.ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            var (code, message) = ErrorTranslator.Translate(failure, cancellationToken);
            ui.Error.WriteLine(verbName.Length == 0 ? $"parley: {message}" : $"parley {verbName}: {Strip(message, verbName)}");
            ui.Error.Flush();
            return code;
        }
    }

    private int Help(string? verb, IConsoleUi ui)
    {
        var command = verb is null ? null : _commands.FirstOrDefault(c => c.Spec.Name == verb);
        if (command is null || command.ParsesOwnArguments)
        {
            if (command is not null)
            {
                return command.ExecuteRawAsync(["--help"], ui, CancellationToken.None).GetAwaiter().GetResult();
            }

            ui.Out.WriteLine(HelpWriter.Overview(_commands.Select(c => c.Spec)));
            return verb is null ? ExitCodes.Success : ExitCodes.Usage;
        }

        ui.Out.WriteLine(HelpWriter.ForVerb(command.Spec));
        return ExitCodes.Success;
    }

    /// <summary>
    /// The verb is the first word that is not an option or the value of a global option standing before it
    /// (<c>parley --profile DIR --json send …</c>); those leading options are handed to the verb.
    /// </summary>
    private static (int VerbIndex, List<string> Leading) FindVerb(IReadOnlyList<string> args)
    {
        var leading = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var word = args[i];
            if (!word.StartsWith('-'))
            {
                return (i, leading);
            }

            var option = GlobalOptions.BeforeVerb.FirstOrDefault(o => o.Matches(word.Split('=')[0]));
            if (option is null)
            {
                return (-1, leading);
            }

            leading.Add(word);
            if (!option.IsFlag && !word.Contains('=', StringComparison.Ordinal) && i + 1 < args.Count)
            {
                leading.Add(args[++i]);
            }
        }

        return (-1, leading);
    }

    /// <summary>Parser messages already start with "parley VERB: "; avoid saying it twice.</summary>
    private static string Strip(string message, string verb)
    {
        var prefix = $"parley {verb}: ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }
}

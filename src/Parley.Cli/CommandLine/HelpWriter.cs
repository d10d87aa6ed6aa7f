using System.Text;

namespace Parley.Cli.CommandLine;

/// <summary>Renders <c>parley --help</c> and <c>parley VERB --help</c> from the specs.</summary>
internal static class HelpWriter
{
    public static string ForVerb(CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        text.Append("Usage: parley ").Append(spec.Name);
        if (spec.AllOptions.Any())
        {
            text.Append(" [options]");
        }

        foreach (var argument in spec.Arguments)
        {
            var name = argument.Variadic ? argument.Name + "..." : argument.Name;
            text.Append(' ').Append(argument.Required ? name : "[" + name + "]");
        }

        text.AppendLine().AppendLine().AppendLine(spec.Description ?? spec.Summary);
        if (spec.Arguments.Count > 0)
        {
            text.AppendLine().AppendLine("Arguments:");
            foreach (var argument in spec.Arguments)
            {
                AppendRow(text, argument.Name, argument.Description);
            }
        }

        text.AppendLine().AppendLine("Options:");
        foreach (var option in spec.AllOptions)
        {
            var left = (option.Alias is null ? "" : option.Alias + ", ") + option.Name + (option.ValueName is null ? "" : " " + option.ValueName);
            AppendRow(text, left, option.Description);
        }

        if (spec.Examples.Count > 0)
        {
            text.AppendLine().AppendLine("Examples:");
            foreach (var (command, explanation) in spec.Examples)
            {
                text.Append("  ").AppendLine(command);
                text.Append("      ").AppendLine(explanation);
            }
        }

        text.AppendLine().Append("Exit codes and JSON shapes: docs/cli.md");
        return text.ToString();
    }

    public static string Overview(IEnumerable<CommandSpec> verbs)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: parley [--profile DIR] [--json] VERB [options] [arguments]")
            .AppendLine()
            .AppendLine("Parley: end-to-end encrypted chat through a relay that sees only ciphertext, or directly between two peers.")
            .AppendLine()
            .AppendLine("Verbs:");
        foreach (var verb in verbs)
        {
            AppendRow(text, verb.Name, verb.Summary);
        }

        text.AppendLine()
            .AppendLine("Global options:");
        AppendRow(text, GlobalOptions.Profile.Name + " DIR", GlobalOptions.Profile.Description);
        AppendRow(text, GlobalOptions.Json.Name, GlobalOptions.Json.Description);
        AppendRow(text, "-h, --help", "help; 'parley VERB --help' for a verb's options and examples");
        text.AppendLine()
            .AppendLine("Environment: PARLEY_HOME (profile folder), PARLEY_PASSPHRASE (the profile's passphrase; else a prompt).")
            .AppendLine()
            .AppendLine("Start here:")
            .AppendLine("  parley server &                                         # a relay on http://127.0.0.1:8080")
            .AppendLine("  parley --profile ~/alice init --server http://127.0.0.1:8080 --name alice")
            .AppendLine("  parley --profile ~/bob init --server http://127.0.0.1:8080 --name bob")
            .AppendLine("  parley --profile ~/alice chat bob")
            .AppendLine()
            .Append("Exit codes and JSON shapes: docs/cli.md");
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string left, string right)
    {
        const int Column = 26;
        text.Append("  ").Append(left);
        if (left.Length + 2 >= Column)
        {
            text.AppendLine().Append(' ', Column);
        }
        else
        {
            text.Append(' ', Column - 2 - left.Length);
        }

        text.AppendLine(right);
    }
}

namespace Parley.Cli.CommandLine;

/// <summary>
/// Parses a verb's words against its <see cref="CommandSpec"/>: <c>--name VALUE</c>, <c>--name=VALUE</c>,
/// flags, short aliases, <c>--</c> to end options, positional words checked against the declared arguments.
/// </summary>
internal static class ArgumentParser
{
    public static ParsedArguments Parse(CommandSpec spec, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(words);
        var options = spec.AllOptions.ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var optionsEnded = false;

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (optionsEnded || word.Length < 2 || word[0] != '-')
            {
                positionals.Add(word);
                continue;
            }

            if (word == "--")
            {
                optionsEnded = true;
                continue;
            }

            var name = word;
            string? inline = null;
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (word.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = word[..equals];
                inline = word[(equals + 1)..];
            }

            var option = options.FirstOrDefault(o => o.Matches(name))
                ?? throw CliException.Usage($"parley {spec.Name}: unknown option '{name}' (see parley {spec.Name} --help)");
            if (option.IsFlag)
            {
                if (inline is not null)
                {
                    throw CliException.Usage($"parley {spec.Name}: {option.Name} takes no value");
                }

                flags.Add(option.Name);
                continue;
            }

            if (inline is null)
            {
                if (i + 1 >= words.Count)
                {
                    throw CliException.Usage($"parley {spec.Name}: {option.Name} needs a value ({option.ValueName})");
                }

                inline = words[++i];
            }

            values[option.Name] = inline;
        }

        if (flags.Contains(GlobalOptions.Help.Name))
        {
            return new ParsedArguments(values, flags, positionals);
        }

        var required = spec.Arguments.Count(a => a.Required);
        if (positionals.Count < required)
        {
            var missing = spec.Arguments.Where(a => a.Required).Skip(positionals.Count).First();
            throw CliException.Usage($"parley {spec.Name}: missing {missing.Name} (see parley {spec.Name} --help)");
        }

        var variadic = spec.Arguments.Count > 0 && spec.Arguments[^1].Variadic;
        if (!variadic && positionals.Count > spec.Arguments.Count)
        {
            throw CliException.Usage($"parley {spec.Name}: unexpected argument '{positionals[spec.Arguments.Count]}' (see parley {spec.Name} --help)");
        }

        return new ParsedArguments(values, flags, positionals);
    }
}

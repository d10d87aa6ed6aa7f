using System.Globalization;

namespace Parley.Cli.CommandLine;

/// <summary>A verb's command line after parsing: option values, flags and positional words.</summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    public ParsedArguments(Dictionary<string, string> values, HashSet<string> flags, IReadOnlyList<string> positionals)
    {
        _values = values;
        _flags = flags;
        Positionals = positionals;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool Has(string option) => _flags.Contains(option) || _values.ContainsKey(option);

    public string? Value(string option) => _values.GetValueOrDefault(option);

    public string Positional(int index) => Positionals[index];

    public string? OptionalPositional(int index) => index < Positionals.Count ? Positionals[index] : null;

    /// <summary>All positional words from <paramref name="index"/> on, joined by spaces (a variadic TEXT).</summary>
    public string? Rest(int index) => index < Positionals.Count ? string.Join(' ', Positionals.Skip(index)) : null;

    /// <summary>An integer option within bounds, or <paramref name="fallback"/> when absent.</summary>
    public int Int(string option, int fallback, int min, int max)
    {
        var text = Value(option);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw CliException.Usage($"{option} must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }

    /// <summary>An absolute http(s) URL option.</summary>
    public Uri? Url(string option)
    {
        var text = Value(option);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"{option} must be an http:// or https:// URL, not '{text}'");
        }

        return uri;
    }
}

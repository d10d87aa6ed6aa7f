namespace Parley.Testing.Interop;

/// <summary>How to start one interop driver process (DESIGN.md §5): an executable, its arguments and a working folder.</summary>
/// <param name="Label">A short name for messages, e.g. "libsignal" or "parley".</param>
public sealed record DriverCommand(string Label, string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>The command line as a person would type it (for failure messages).</summary>
    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)} (in {WorkingDirectory})";
}

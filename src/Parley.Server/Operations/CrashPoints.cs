using System.Globalization;

namespace Parley.Server.Operations;

/// <summary>
/// Named places where a test can make the relay die abruptly (TESTPLAN E1/E6). Off unless the environment
/// variable <c>PARLEY_CRASH_POINT</c> is set to <c>name</c> or <c>name:N</c> (die on the N-th time the point is
/// reached). <see cref="Environment.FailFast(string)"/> ends the process without flushing or unwinding, like a kill.
/// </summary>
internal static class CrashPoints
{
    /// <summary>A send's envelopes are committed; the sender has not been answered.</summary>
    public const string AfterCommitBeforeResponse = "after-commit-before-response";

    /// <summary>A send is validated; its transaction has not begun.</summary>
    public const string BeforeCommit = "before-commit";

    /// <summary>An HTTP acknowledgement is committed; the device has not been answered.</summary>
    public const string AfterAckCommit = "after-ack-commit";

    private static readonly (string? Name, long At) Armed = Parse(Environment.GetEnvironmentVariable("PARLEY_CRASH_POINT"));
    private static long hits;

    public static void Reached(string name)
    {
        if (Armed.Name is null || !string.Equals(Armed.Name, name, StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Increment(ref hits) >= Armed.At)
        {
            Environment.FailFast("parley: crash point " + name);
        }
    }

    private static (string?, long) Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, 0);
        }

        var parts = value.Split(':', 2);
        var at = parts.Length == 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        return (parts[0], at);
    }
}

using System.Globalization;

namespace Parley.Client.Diagnostics;

/// <summary>
/// Named places where tests make the process die abruptly (TESTPLAN E5/E6). <c>PARLEY_CRASH_POINT</c> selects
/// one point; <c>PARLEY_CRASH_AFTER</c> (default 1) says on which visit. Unset in normal use: then each call
/// is one comparison against null.
/// </summary>
internal static class CrashPoints
{
    /// <summary>Receive: the envelope decrypted and its rows are written, the transaction is not committed.</summary>
    public const string AfterDecryptBeforeCommit = "after-decrypt-before-commit";

    /// <summary>Receive: committed, not yet acknowledged to the relay.</summary>
    public const string AfterCommitBeforeAck = "after-commit-before-ack";

    /// <summary>Receive or send: inside the transaction, right after a session record was written.</summary>
    public const string DuringSessionSave = "during-session-save";

    /// <summary>Send: the encrypted envelopes are in the outbox (committed), not yet submitted.</summary>
    public const string AfterOutboxBeforeSend = "after-outbox-before-send";

    /// <summary>Send: the relay accepted the message, the outbox entry is not yet removed.</summary>
    public const string AfterSendBeforeOutboxDelete = "after-send-before-outbox-delete";

    /// <summary>Store: inside a write transaction, just before the commit.</summary>
    public const string BeforeStoreCommit = "before-store-commit";

    private static readonly string? Selected = Environment.GetEnvironmentVariable("PARLEY_CRASH_POINT");
    private static int _remaining = ReadCount();

    /// <summary>All names, for tests that sweep them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [AfterDecryptBeforeCommit, AfterCommitBeforeAck, DuringSessionSave, AfterOutboxBeforeSend, AfterSendBeforeOutboxDelete, BeforeStoreCommit];

    /// <summary>Dies here when this point is selected and its visit count is reached.</summary>
    public static void Reached(string name)
    {
        if (Selected is null || !string.Equals(Selected, name, StringComparison.Ordinal))
        {
            return;
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Environment.FailFast("parley crash point: " + name);
        }
    }

    private static int ReadCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("PARLEY_CRASH_AFTER"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
}

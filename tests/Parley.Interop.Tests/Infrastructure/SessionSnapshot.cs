using System.Text.Json.Nodes;

namespace Parley.Interop.Tests.Infrastructure;

/// <summary>
/// What <c>session_info</c> reports. <see cref="Record"/> and <see cref="StateDigest"/> are opaque bytes in the
/// driver's own format: they are only ever compared with the same driver's earlier answers.
/// </summary>
public sealed record SessionSnapshot(bool HasSession, int? SessionVersion, byte[]? Record, byte[]? StateDigest)
{
    public static SessionSnapshot From(JsonObject answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var version = answer["sessionVersion"] is JsonValue v && v.TryGetValue(out int number) ? number : (int?)null;
        return new SessionSnapshot(answer.Flag("hasSession"), version, answer.OptionalBytes("record_b64"), answer.OptionalBytes("stateDigest_b64"));
    }

    /// <summary>True when every part both snapshots carry is byte-identical.</summary>
    public bool SameStateAs(SessionSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return HasSession == other.HasSession
            && SessionVersion == other.SessionVersion
            && SameBytes(Record, other.Record)
            && SameBytes(StateDigest, other.StateDigest);
    }

    private static bool SameBytes(byte[]? a, byte[]? b) => a is null || b is null ? a is null == b is null : a.AsSpan().SequenceEqual(b);
}

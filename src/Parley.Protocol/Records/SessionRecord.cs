using Parley.Protocol.Keys;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Records;

/// <summary>
/// Everything known about the sessions with one peer device: the current session state and up to
/// <see cref="ProtocolLimits.MaxArchivedStates"/> archived ones, newest first (PROTOCOL.md §6.3, "Sesame").
/// Serializes to libsignal's <c>RecordStructure</c> {1 current_session, 2 previous_sessions (bytes)}, so records
/// exported by libsignal load here and the other way round.
/// </summary>
/// <remarks>
/// A record holds private ratchet keys and chain keys: persist it as a secret. Protocol operations never mutate a
/// record handed to or returned by a store; they work on a copy and store it only on success.
/// </remarks>
public sealed class SessionRecord
{
    private readonly List<SessionState> _previous;

    /// <summary>An empty ("fresh") record with no session.</summary>
    public SessionRecord()
    {
        _previous = [];
    }

    private SessionRecord(SessionState? current, List<SessionState> previous)
    {
        CurrentState = current;
        _previous = previous;
    }

    /// <summary>True when there is a current session state.</summary>
    public bool HasCurrentState => CurrentState is not null;

    /// <summary>The number of archived states.</summary>
    public int ArchivedStateCount => _previous.Count;

    /// <summary>The current session's version, or null without one.</summary>
    public int? SessionVersion => CurrentState is { } state ? (int)state.Version : null;

    /// <summary>The peer's registration id in the current session, or null without one.</summary>
    public uint? RemoteRegistrationId => CurrentState?.RemoteRegistrationId;

    /// <summary>Our registration id in the current session, or null without one.</summary>
    public uint? LocalRegistrationId => CurrentState?.LocalRegistrationId;

    /// <summary>The peer's identity key in the current session, or null.</summary>
    public IdentityKey? RemoteIdentityKey => CurrentState?.RemoteIdentity;

    /// <summary>Our identity key in the current session, or null.</summary>
    public IdentityKey? LocalIdentityKey => CurrentState?.LocalIdentity;

    /// <summary>True while the current session still sends PreKey messages (the peer has not answered yet).</summary>
    public bool IsUnacknowledged => CurrentState?.PendingPreKey is not null;

    internal SessionState? CurrentState { get; set; }

    internal IReadOnlyList<SessionState> PreviousStates => _previous;

    /// <summary>Parses a <c>RecordStructure</c>.</summary>
    /// <exception cref="InvalidRecordException">Malformed, or a state has invalid keys.</exception>
    public static SessionRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        var reader = new ProtoReader(serialized);
        SessionState? current = null;
        var previous = new List<SessionState>();
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                throw new InvalidRecordException("Malformed session record.");
            }

            switch (field)
            {
                case 1:
                    current = ReadState(ref reader, wireType);
                    break;
                case 2:
                    previous.Add(ReadState(ref reader, wireType));
                    break;
                default:
                    if (!reader.TrySkip(wireType))
                    {
                        throw new InvalidRecordException("Malformed session record.");
                    }

                    break;
            }
        }

        return new SessionRecord(current, previous);
    }

    /// <summary>The <c>RecordStructure</c> encoding (holds secrets).</summary>
    public byte[] Serialize()
    {
        var writer = new ProtoWriter(1024);
        if (CurrentState is not null)
        {
            WriteState(writer, 1, CurrentState);
        }

        foreach (var state in _previous)
        {
            WriteState(writer, 2, state);
        }

        var bytes = writer.ToArray();
        writer.Clear();
        return bytes;
    }

    /// <summary>
    /// True when the current session can encrypt at <paramref name="now"/>: it has a sending chain, does not need the
    /// post-quantum ratchet, and is not an unacknowledged session older than
    /// <see cref="ProtocolLimits.MaxUnacknowledgedSessionAge"/>.
    /// </summary>
    public bool HasUsableSenderChain(DateTimeOffset now)
    {
        if (CurrentState is not { SenderChain: not null, RequiredPqRatchetState: null } state)
        {
            return false;
        }

        return state.PendingPreKey is not { } pending || !IsExpired(pending, now);
    }

    /// <summary>Moves the current session to the archive (newest first), e.g. to force a new session.</summary>
    public void ArchiveCurrentState()
    {
        if (CurrentState is null)
        {
            return;
        }

        if (_previous.Count >= ProtocolLimits.MaxArchivedStates)
        {
            _previous.RemoveAt(_previous.Count - 1);
        }

        // An archived session never sends again, so it no longer needs its PreKey data.
        CurrentState.ClearPendingPreKey();
        _previous.Insert(0, CurrentState);
        CurrentState = null;
    }

    /// <summary>Names the type and counts only.</summary>
    public override string ToString() => $"SessionRecord(current: {HasCurrentState}, archived: {ArchivedStateCount})";

    internal static bool IsExpired(PendingPreKey pending, DateTimeOffset now)
    {
        var created = DateTimeOffset.UnixEpoch.AddSeconds(Math.Min(pending.TimestampSeconds, (ulong)int.MaxValue * 4));
        return created + ProtocolLimits.MaxUnacknowledgedSessionAge < now;
    }

    /// <summary>A copy whose states can be mutated without touching this record.</summary>
    internal SessionRecord Clone() => new(CurrentState?.Clone(), _previous.ConvertAll(s => s.Clone()));

    /// <summary>Archives the current state and makes <paramref name="state"/> current.</summary>
    internal void PromoteState(SessionState state)
    {
        ArchiveCurrentState();
        CurrentState = state;
    }

    /// <summary>Replaces archived state <paramref name="index"/> by its updated copy and makes it current.</summary>
    internal void PromoteOldSession(int index, SessionState updated)
    {
        _previous.RemoveAt(index);
        PromoteState(updated);
    }

    /// <summary>
    /// Finds the state (current or archived) with this version and initiator base key and makes it current.
    /// False when there is none.
    /// </summary>
    internal bool TryPromoteMatchingSession(uint version, ReadOnlySpan<byte> aliceBaseKey)
    {
        if (CurrentState is { } current && current.Version == version && current.HasAliceBaseKey(aliceBaseKey))
        {
            return true;
        }

        for (var i = 0; i < _previous.Count; i++)
        {
            if (_previous[i].Version == version && _previous[i].HasAliceBaseKey(aliceBaseKey))
            {
                PromoteOldSession(i, _previous[i]);
                return true;
            }
        }

        return false;
    }

    private static SessionState ReadState(ref ProtoReader reader, WireType wireType)
    {
        if (!reader.TryReadBytes(wireType, out var bytes))
        {
            throw new InvalidRecordException("Malformed session record.");
        }

        if (!SessionStateCodec.TryDecode(bytes, out var state, out var failure))
        {
            throw new InvalidRecordException("Invalid session state: " + failure);
        }

        return state;
    }

    private static void WriteState(ProtoWriter writer, int field, SessionState state)
    {
        var message = new ProtoWriter(512);
        SessionStateCodec.Encode(state, message);
        writer.WriteMessageField(field, message);
        message.Clear();
    }
}

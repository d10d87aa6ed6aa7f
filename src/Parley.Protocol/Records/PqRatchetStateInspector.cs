using Parley.Protocol.Wire;

namespace Parley.Protocol.Records;

/// <summary>
/// Decides whether a stored post-quantum ratchet (SPQR) state — <c>SessionStructure</c> field 15, written by
/// libsignal ≥ 0.74 — still allows Parley, which has no SPQR, to use the session (PROTOCOL.md §7).
/// </summary>
/// <remarks>
/// SPQR's <c>PqRatchetState</c> is {1 version_negotiation {1 auth_key, 2 alice, 3 min_version}, 2 chain, 3 v1}.
/// Empty means "V0": no PQ ratchet. A state with no chain yet and <c>min_version</c> 0 is still negotiating; its
/// message keys are unsalted and the peer negotiates down on our first message without field 5, so Parley treats it
/// as V0. A state with a chain (keys already salted) or with <c>min_version</c> ≥ 1 requires SPQR.
/// </remarks>
internal static class PqRatchetStateInspector
{
    public static bool TryClassify(ReadOnlySpan<byte> state, out bool requiresPqRatchet)
    {
        requiresPqRatchet = false;
        if (state.IsEmpty)
        {
            return true;
        }

        var reader = new ProtoReader(state);
        var hasChain = false;
        uint minVersion = 0;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            bool ok;
            switch (field)
            {
                case 1:
                    ok = reader.TryReadBytes(wireType, out var negotiation) && TryReadMinVersion(negotiation, out minVersion);
                    break;
                case 2:
                    ok = reader.TryReadBytes(wireType, out _);
                    hasChain = true;
                    break;
                default:
                    ok = reader.TrySkip(wireType);
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        requiresPqRatchet = hasChain || minVersion >= 1;
        return true;
    }

    private static bool TryReadMinVersion(ReadOnlySpan<byte> negotiation, out uint minVersion)
    {
        minVersion = 0;
        var reader = new ProtoReader(negotiation);
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field == 3 ? reader.TryReadUInt32(wireType, out minVersion) : reader.TrySkip(wireType);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

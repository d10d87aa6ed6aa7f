using System.Security.Cryptography;
using Parley.Protocol.Wire;

namespace Parley.Protocol.Fingerprints;

/// <summary>
/// The QR-code form of a safety number: protobuf <c>CombinedFingerprints</c> {1 version, 2 local {1 content},
/// 3 remote {1 content}}, each content the first 32 bytes of that side's hash (PROTOCOL.md §9).
/// </summary>
public sealed class ScannableFingerprint
{
    private const int ContentSize = 32;
    private readonly byte[] _local;
    private readonly byte[] _remote;

    internal ScannableFingerprint(int version, ReadOnlySpan<byte> localHash, ReadOnlySpan<byte> remoteHash)
    {
        Version = version;
        _local = localHash[..ContentSize].ToArray();
        _remote = remoteHash[..ContentSize].ToArray();
    }

    /// <summary>The fingerprint version (Parley uses 2).</summary>
    public int Version { get; }

    /// <summary>The 74-byte encoding to put in a QR code.</summary>
    public byte[] Serialize()
    {
        var writer = new ProtoWriter(80);
        writer.WriteVarintField(1, (uint)Version);
        var local = new ProtoWriter(36);
        local.WriteBytesField(1, _local);
        writer.WriteMessageField(2, local);
        var remote = new ProtoWriter(36);
        remote.WriteBytesField(1, _remote);
        writer.WriteMessageField(3, remote);
        return writer.ToArray();
    }

    /// <summary>
    /// True when the peer's scanned fingerprint is the mirror of ours (their local is our remote and vice versa).
    /// </summary>
    /// <exception cref="FingerprintVersionMismatchException">The versions differ.</exception>
    /// <exception cref="InvalidMessageException">The scanned bytes are not a fingerprint.</exception>
    public bool Matches(ReadOnlySpan<byte> theirScannable)
    {
        if (!TryParse(theirScannable, out var version, out var theirLocal, out var theirRemote))
        {
            throw new InvalidMessageException("The scanned bytes are not a safety number fingerprint.");
        }

        if (version != Version)
        {
            throw new FingerprintVersionMismatchException(version, Version);
        }

        // Evaluate both comparisons: no early exit.
        var localMatches = CryptographicOperations.FixedTimeEquals(theirLocal, _remote);
        var remoteMatches = CryptographicOperations.FixedTimeEquals(theirRemote, _local);
        return localMatches & remoteMatches;
    }

    /// <summary>The version only.</summary>
    public override string ToString() => $"ScannableFingerprint(v{Version})";

    private static bool TryParse(ReadOnlySpan<byte> data, out int version, out byte[] local, out byte[] remote)
    {
        version = 0;
        local = [];
        remote = [];
        var reader = new ProtoReader(data);
        bool hasVersion = false, hasLocal = false, hasRemote = false;
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
                    ok = hasVersion = reader.TryReadUInt32(wireType, out var v) && v <= int.MaxValue;
                    version = (int)Math.Min(v, int.MaxValue);
                    break;
                case 2:
                    ok = hasLocal = reader.TryReadBytes(wireType, out var l) && TryReadContent(l, out local);
                    break;
                case 3:
                    ok = hasRemote = reader.TryReadBytes(wireType, out var r) && TryReadContent(r, out remote);
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

        return hasVersion && hasLocal && hasRemote;
    }

    private static bool TryReadContent(ReadOnlySpan<byte> data, out byte[] content)
    {
        content = [];
        var reader = new ProtoReader(data);
        ReadOnlySpan<byte> bytes = default;
        while (!reader.IsAtEnd)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            var ok = field == 1 ? reader.TryReadBytes(wireType, out bytes) : reader.TrySkip(wireType);
            if (!ok)
            {
                return false;
            }
        }

        if (bytes.Length != ContentSize)
        {
            return false;
        }

        content = bytes.ToArray();
        return true;
    }
}

namespace Parley.Protocol.Messages;

/// <summary>Why a message did not decode; turned into one typed exception at the public boundary.</summary>
internal readonly record struct DecodeFailure(string Reason, int Version = 0, bool VersionIsLegacy = false, bool IsVersionError = false)
{
    public static DecodeFailure BadVersion(int version, bool legacy) => new(string.Empty, version, legacy, IsVersionError: true);

    public InvalidMessageException ToException(CiphertextMessageType type) => IsVersionError
        ? new UnsupportedMessageVersionException(Version, VersionIsLegacy)
        : new InvalidMessageException(type, Reason);
}

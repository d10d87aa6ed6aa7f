namespace Parley.Protocol.Messages;

/// <summary>Version numbers carried in the first byte of each message (PROTOCOL.md §6.4, §8).</summary>
internal static class MessageVersion
{
    /// <summary>SignalMessage / PreKeySignalMessage version with PQXDH (Kyber).</summary>
    public const int Current = 4;

    /// <summary>The pre-Kyber (X3DH) version: parsed, then refused when a PreKey message is processed.</summary>
    public const int PreKyber = 3;

    /// <summary>Sender-key messages and distribution messages.</summary>
    public const int SenderKey = 3;

    /// <summary>The version byte: message version in the high nibble, the current version in the low one.</summary>
    public static byte Encode(int version, int currentVersion) => (byte)(((version & 0xF) << 4) | currentVersion);

    /// <summary>Checks the high nibble against the accepted range.</summary>
    public static bool TryCheck(byte versionByte, int oldest, int newest, out int version, out DecodeFailure failure)
    {
        version = versionByte >> 4;
        failure = default;
        if (version < oldest)
        {
            failure = DecodeFailure.BadVersion(version, legacy: true);
            return false;
        }

        if (version > newest)
        {
            failure = DecodeFailure.BadVersion(version, legacy: false);
            return false;
        }

        return true;
    }
}

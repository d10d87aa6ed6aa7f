namespace Parley.Protocol.Ratchet;

/// <summary>
/// The SignalMessage <c>addresses</c> field (6): sender ServiceId (17) ‖ sender device (1) ‖ recipient ServiceId (17)
/// ‖ recipient device (1) = 36 bytes (PROTOCOL.md §6.6). Only defined when both names are ServiceId strings.
/// </summary>
internal static class AddressesField
{
    public const int Size = (2 * ServiceId.FixedWidthSize) + 2;

    /// <summary>The field for a message from <paramref name="sender"/> to <paramref name="recipient"/>, or null.</summary>
    public static byte[]? TryBuild(ProtocolAddress sender, ProtocolAddress recipient)
    {
        if (!ServiceId.TryParse(sender.Name, out var senderId) || !ServiceId.TryParse(recipient.Name, out var recipientId))
        {
            return null;
        }

        var bytes = new byte[Size];
        senderId.WriteFixedWidth(bytes);
        bytes[ServiceId.FixedWidthSize] = (byte)sender.DeviceId;
        recipientId.WriteFixedWidth(bytes.AsSpan(ServiceId.FixedWidthSize + 1));
        bytes[Size - 1] = (byte)recipient.DeviceId;
        return bytes;
    }
}

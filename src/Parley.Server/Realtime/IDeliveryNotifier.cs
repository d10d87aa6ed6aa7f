namespace Parley.Server.Realtime;

/// <summary>
/// Wake-ups between the writer of an envelope and the stream of its device: "device X has mail", never a
/// payload. A wake-up may be lost or repeated; the mailbox is the source of truth. Implementations that
/// can lose their channel (PostgreSQL LISTEN/NOTIFY) must wake every subscription once they reconnect, so
/// that streams re-read their mailboxes.
/// </summary>
internal interface IDeliveryNotifier
{
    /// <summary>Tells every subscriber of <paramref name="device"/>, on any node, that it has mail.</summary>
    ValueTask NotifyAsync(DeviceAddress device, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="wake"/> whenever the device may have mail; dispose to stop.</summary>
    /// <remarks><paramref name="wake"/> must be quick and must not throw: it only signals.</remarks>
    IDisposable Subscribe(DeviceAddress device, Action wake);
}

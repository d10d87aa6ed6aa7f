using System.Globalization;

namespace Parley.Server.Postgres.Realtime;

/// <summary>
/// The LISTEN/NOTIFY channel between relay nodes. A notification says only "device X has mail": its payload
/// is the device address (<c>accountId.deviceId</c>), never an envelope or any part of one.
/// </summary>
internal static class WakeUpChannel
{
    /// <summary>The channel name.</summary>
    public const string Name = "parley_wake";

    /// <summary>The payload for <paramref name="device"/>.</summary>
    public static string Payload(DeviceAddress device) => device.ToString();

    /// <summary>Parses a payload; anything else on the channel is ignored.</summary>
    public static bool TryParse(string payload, out DeviceAddress device)
    {
        device = default;
        var dot = payload.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || payload.Length > 40)
        {
            return false;
        }

        if (!long.TryParse(payload.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var account)
            || !int.TryParse(payload.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
        {
            return false;
        }

        device = new DeviceAddress(account, deviceId);
        return true;
    }
}

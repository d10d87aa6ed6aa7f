namespace Parley.Protocol;

/// <summary>A peer device: an opaque name (Signal uses ACI UUID strings) and a device id in 1..127.</summary>
/// <remarks>
/// The name is treated as opaque except where it must parse as a <see cref="ServiceId"/> (the <c>addresses</c>
/// field of PreKey messages). Equality is ordinal on the name.
/// </remarks>
public sealed class ProtocolAddress : IEquatable<ProtocolAddress>
{
    /// <summary>Smallest device id.</summary>
    public const int MinDeviceId = 1;

    /// <summary>Largest device id (one byte in the <c>addresses</c> field).</summary>
    public const int MaxDeviceId = 127;

    /// <summary>Creates an address.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The device id is outside 1..127.</exception>
    public ProtocolAddress(string name, int deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(deviceId, MinDeviceId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(deviceId, MaxDeviceId);
        Name = name;
        DeviceId = deviceId;
    }

    /// <summary>The peer's name (opaque; a ServiceId string for Signal-style deployments).</summary>
    public string Name { get; }

    /// <summary>The device id.</summary>
    public int DeviceId { get; }

    /// <inheritdoc />
    public bool Equals(ProtocolAddress? other) =>
        other is not null && DeviceId == other.DeviceId && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ProtocolAddress);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), DeviceId);

    /// <summary>"name.deviceId", as libsignal prints addresses.</summary>
    public override string ToString() => $"{Name}.{DeviceId}";
}

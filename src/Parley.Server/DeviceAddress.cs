using System.Globalization;

namespace Parley.Server;

/// <summary>One device of one account, by the store's account id.</summary>
/// <param name="AccountId">The store's account id.</param>
/// <param name="DeviceId">1..127.</param>
internal readonly record struct DeviceAddress(long AccountId, int DeviceId)
{
    public override string ToString() =>
        AccountId.ToString(CultureInfo.InvariantCulture) + "." + DeviceId.ToString(CultureInfo.InvariantCulture);
}

using Parley.Server.Realtime;

namespace Parley.Server.Tests.Realtime;

public sealed class InProcessDeliveryNotifierTests
{
    [Fact]
    public async Task A_wake_up_reaches_every_subscriber_of_that_device_only_until_disposed()
    {
        var notifier = new InProcessDeliveryNotifier();
        var bob = new DeviceAddress(7, 1);
        var bob2 = new DeviceAddress(7, 2);
        int first = 0, second = 0, other = 0;
        var a = notifier.Subscribe(bob, () => first++);
        using var b = notifier.Subscribe(bob, () => second++);
        using var c = notifier.Subscribe(bob2, () => other++);

        await notifier.NotifyAsync(bob, CancellationToken.None);
        a.Dispose();
        a.Dispose();
        await notifier.NotifyAsync(bob, CancellationToken.None);
        await notifier.NotifyAsync(new DeviceAddress(8, 1), CancellationToken.None);

        Assert.Equal((1, 2, 0), (first, second, other));
    }
}

using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Realtime;

namespace Parley.Server.Tests.Realtime;

/// <summary>
/// Delivery never depends on a wake-up alone (TESTPLAN E3's rule, before there is a second node): with a
/// notifier that loses every wake-up — as a dropped LISTEN connection would — a connected device still gets
/// its envelopes, from the stream's periodic re-read of the mailbox.
/// </summary>
public sealed class LostWakeUpTests
{
    [Fact]
    public async Task A_connected_device_gets_its_mail_even_when_every_wake_up_is_lost()
    {
        var lossy = new LosingNotifier();
        await using var relay = await TestRelay.StartAsync(
            limits => limits.StreamRecheckInterval = TimeSpan.FromMilliseconds(300),
            services: s => s.AddSingleton<IDeliveryNotifier>(lossy));
        var alice = await relay.RegisterAsync("alice");
        var bob = await relay.RegisterAsync("bob");
        await using var stream = await bob.ConnectAsync();
        Assert.Empty(await stream.ReceiveUntilDrainedAsync());

        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await alice.SendAsync("bob"));
        }

        var received = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await stream.ReceiveEnvelopeAsync(TimeSpan.FromSeconds(10))).Id);
        }

        Assert.Equal(ids, received);
        Assert.True(lossy.Lost >= 3, "the notifier was not in use");
    }

    /// <summary>Accepts subscriptions and notifications and delivers none of them.</summary>
    private sealed class LosingNotifier : IDeliveryNotifier
    {
        private int lost;

        public int Lost => Volatile.Read(ref lost);

        public ValueTask NotifyAsync(DeviceAddress device, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref lost);
            return ValueTask.CompletedTask;
        }

        public IDisposable Subscribe(DeviceAddress device, Action wake) => new Nothing();

        private sealed class Nothing : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}

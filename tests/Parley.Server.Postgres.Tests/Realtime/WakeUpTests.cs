using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Parley.Contracts.Messages;
using Parley.Server.Messages;
using Parley.Server.Postgres.Realtime;
using Parley.Server.Postgres.Storage;
using Parley.Server.Postgres.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Postgres.Tests.Realtime;

/// <summary>Wake-ups between nodes: NOTIFY only on commit, no payloads on the channel, and a re-drain after every reconnect.</summary>
[RequiresPostgres]
public sealed class WakeUpTests(FreshDatabase database) : IClassFixture<FreshDatabase>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [PgFact]
    public async Task A_committed_send_notifies_its_device_and_a_refused_send_notifies_nobody()
    {
        await using var stores = await PostgresStores.OpenAsync(database.ConnectionString);
        var (sender, recipient, other) = (await stores.NewAccountAsync(), await stores.NewAccountAsync(), await stores.NewAccountAsync());
        var payloads = new List<string>();
        await using var listener = new NpgsqlConnection(database.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, e) => { lock (payloads) { payloads.Add(e.Channel + " " + e.Payload); } };
        await using (var listen = new NpgsqlCommand("LISTEN " + WakeUpChannel.Name, listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        // Refused (mailbox full at 0 of 0): rolled back, so its NOTIFY is never delivered.
        Assert.IsType<MailboxWriteOutcome.MailboxFull>(await stores.Mailbox.StoreAsync(PostgresStores.Write(sender, recipient, maxEnvelopes: 0), CancellationToken.None));
        Assert.IsType<MailboxWriteOutcome.Stored>(await stores.Mailbox.StoreAsync(PostgresStores.Write(sender, other), CancellationToken.None));

        // Notifications arrive in commit order: once the second send's is here, the first would have been too.
        while (payloads.Count == 0)
        {
            using var wait = new CancellationTokenSource(Within);
            await listener.WaitAsync(wait.Token);
        }

        Assert.Equal([$"{WakeUpChannel.Name} {other}.1"], payloads);
    }

    [PgFact]
    public async Task A_send_committed_through_one_node_wakes_the_stream_on_another()
    {
        await using var nodeA = await PostgresStores.OpenAsync(database.ConnectionString, "wake-a");
        await using var nodeB = new PostgresDatabase(database.ConnectionString, "wake-b");
        var wakeUps = new PostgresWakeUps(nodeB, TimeProvider.System, NullLoggerFactory.Instance);
        await wakeUps.StartAsync(CancellationToken.None);
        try
        {
            await wakeUps.FirstListen.WaitAsync(Within);
            var (sender, recipient) = (await nodeA.NewAccountAsync(), await nodeA.NewAccountAsync());
            var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var bystander = 0;
            using var subscription = wakeUps.Subscribe(new DeviceAddress(recipient, 1), () => woken.TrySetResult());
            using var other = wakeUps.Subscribe(new DeviceAddress(sender, 1), () => Interlocked.Increment(ref bystander));

            await nodeA.Mailbox.StoreAsync(PostgresStores.Write(sender, recipient), CancellationToken.None);

            await woken.Task.WaitAsync(Within);
            Assert.Equal(0, Volatile.Read(ref bystander));
        }
        finally
        {
            await wakeUps.StopAsync(CancellationToken.None);
        }
    }

    [PgFact]
    public async Task A_node_whose_listen_connection_is_terminated_reconnects_and_wakes_every_local_stream()
    {
        await using var node = new PostgresDatabase(database.ConnectionString, "wake-reconnect");
        var wakeUps = new PostgresWakeUps(node, TimeProvider.System, NullLoggerFactory.Instance);
        await wakeUps.StartAsync(CancellationToken.None);
        try
        {
            await wakeUps.FirstListen.WaitAsync(Within);
            var woken = new int[3];
            var subscriptions = Enumerable.Range(0, 3)
                .Select(i => wakeUps.Subscribe(new DeviceAddress(1000 + i, 1), () => Interlocked.Increment(ref woken[i])))
                .ToList();

            var ended = await Sql.CountAsync(
                database.ConnectionString,
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresDatabase.ListenApplicationPrefix}wake-reconnect'");

            // No mail was sent at all: the wake-ups come from the re-drain after the reconnect.
            Assert.Equal(1, ended);
            await Eventually.TrueAsync(() => wakeUps.Connections == 2 && Enumerable.Range(0, 3).All(i => Volatile.Read(ref woken[i]) == 1), Within, "reconnected and woke every stream");
            Assert.True(wakeUps.IsListening);
            subscriptions.ForEach(s => s.Dispose());
        }
        finally
        {
            await wakeUps.StopAsync(CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("12.3", true, 12L, 3)]
    [InlineData("0.127", true, 0L, 127)]
    [InlineData("12", false, 0L, 0)]
    [InlineData(".3", false, 0L, 0)]
    [InlineData("12.-3", false, 0L, 0)]
    [InlineData("12.3.4", false, 0L, 0)]
    [InlineData("x.3", false, 0L, 0)]
    [InlineData("99999999999999999999999.1", false, 0L, 0)]
    public void Wake_up_payloads_are_device_addresses_and_nothing_else_parses(string payload, bool parses, long account, int device)
    {
        Assert.Equal(parses, WakeUpChannel.TryParse(payload, out var address));
        if (parses)
        {
            Assert.Equal(new DeviceAddress(account, device), address);
            Assert.Equal(payload, WakeUpChannel.Payload(address));
        }
    }

    [Fact]
    public void The_channel_carries_no_envelope_field()
    {
        // The payload is built from the device address alone; an envelope cannot reach it by construction.
        Assert.Equal("7.2", WakeUpChannel.Payload(new DeviceAddress(7, 2)));
        Assert.DoesNotContain(typeof(WakeUpChannel).GetMethods(), m => m.GetParameters().Any(p => p.ParameterType == typeof(Envelope) || p.ParameterType == typeof(byte[])));
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Parley.Server.Operations;
using Parley.Server.Postgres.Operations;
using Parley.Server.Postgres.Storage;
using Parley.Server.Realtime;

namespace Parley.Server.Postgres.Realtime;

/// <summary>
/// Wake-ups between relay nodes over PostgreSQL LISTEN/NOTIFY.
/// <list type="bullet">
/// <item>Sending: <see cref="PostgresMailbox"/> queues <c>NOTIFY parley_wake, 'account.device'</c> inside the
/// transaction that stores the envelopes, so PostgreSQL delivers it to every node once, and only, when the
/// envelopes are committed. <see cref="NotifyAsync"/> therefore only wakes this node's own streams at once
/// (a shortcut: the notification would wake them too, a round trip later).</item>
/// <item>Receiving: one dedicated connection per node LISTENs (keep-alive query every 5 s) and wakes the
/// local streams of the device named in each notification.</item>
/// <item>Losing it: when that connection drops (server restart, network, a terminated backend) the node
/// reconnects with exponential backoff and, once it listens again, wakes every local stream, because
/// notifications sent meanwhile are gone. A lost wake-up therefore only delays delivery: the mailbox is
/// the truth, and every stream also re-checks it periodically (<see cref="RelayLimits.StreamRecheckInterval"/>).</item>
/// </list>
/// </summary>
internal sealed class PostgresWakeUps : BackgroundService, IDeliveryNotifier
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly PostgresDatabase database;
    private readonly InProcessDeliveryNotifier local = new();
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TaskCompletionSource firstListen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long connections;
    private int listening;

    public PostgresWakeUps(PostgresDatabase database, TimeProvider time, ILoggerFactory loggers)
    {
        this.database = database;
        this.time = time;
        logger = loggers.CreateLogger(OperatorLog.Category);
    }

    /// <summary>True while the LISTEN connection is up.</summary>
    public bool IsListening => Volatile.Read(ref listening) == 1;

    /// <summary>How many times the LISTEN connection was established (1 after the first start).</summary>
    public long Connections => Interlocked.Read(ref connections);

    /// <summary>Completes when the node listens for the first time.</summary>
    public Task FirstListen => firstListen.Task;

    public ValueTask NotifyAsync(DeviceAddress device, CancellationToken cancellationToken) =>
        local.NotifyAsync(device, cancellationToken);

    public IDisposable Subscribe(DeviceAddress device, Action wake) => local.Subscribe(device, wake);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The listener must outlive any failure of its connection: it reconnects.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var wasListening = Interlocked.Exchange(ref listening, 0) == 1;
                if (wasListening)
                {
                    retry = FirstRetry;

                    // Whatever broke this connection (typically a server restart) broke the idle pooled ones too.
                    database.ClearPool();
                }

                // Full jitter, so that the nodes of a cluster do not reconnect in lockstep after a restart.
                var delay = TimeSpan.FromMilliseconds(Random.Shared.Next((int)(retry.TotalMilliseconds / 2), (int)retry.TotalMilliseconds + 1));
                PostgresLog.ListenLost(logger, Describe(e), (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connection = new NpgsqlConnection(database.ListenConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            connection.Notification += OnNotification;
            await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
            var listen = new NpgsqlCommand("LISTEN " + WakeUpChannel.Name, connection);
            await using (listen.ConfigureAwait(false))
            {
                await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
            }

            Volatile.Write(ref listening, 1);
            var count = Interlocked.Increment(ref connections);

            // Wake-ups sent before this LISTEN took effect never reach us: every local stream re-reads its
            // mailbox now. (On the first connection there is nothing to catch up with, and it costs nothing.)
            var woken = local.WakeAll();
            PostgresLog.Listening(logger, WakeUpChannel.Name, count, woken);
            firstListen.TrySetResult();

            while (true)
            {
                // Returns after each notification (delivered through OnNotification); throws when the connection
                // breaks. The connection's keep-alive query notices a dead peer while idle.
                await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (string.Equals(e.Channel, WakeUpChannel.Name, StringComparison.Ordinal) && WakeUpChannel.TryParse(e.Payload, out var device))
        {
            // The in-process notifier only signals and completes synchronously.
            _ = local.NotifyAsync(device, CancellationToken.None).AsTask();
        }
    }

    private static string Describe(Exception e) => e switch
    {
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        _ => e.GetType().Name + ": " + e.Message,
    };
}

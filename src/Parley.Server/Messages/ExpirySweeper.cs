using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Server.Operations;

namespace Parley.Server.Messages;

/// <summary>Removes expired envelopes every <see cref="RelayLimits.ExpirySweepInterval"/>; reads skip them meanwhile.</summary>
internal sealed class ExpirySweeper(IMailbox mailbox, RelayLimits limits, TimeProvider time, ILogger<ExpirySweeper> logger) : BackgroundService
{
    /// <summary>Runs one sweep now; returns how many envelopes it removed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await mailbox.RemoveExpiredAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            RelayLog.Expired(logger, removed);
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(limits.ExpirySweepInterval, time, stoppingToken).ConfigureAwait(false);
                await SweepOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sweep must outlive a failed round (e.g. a busy disk); the next round retries.
            catch (Exception e)
#pragma warning restore CA1031
            {
                RelayLog.SweepFailed(logger, e);
            }
        }
    }
}

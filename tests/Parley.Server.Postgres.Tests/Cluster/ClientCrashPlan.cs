namespace Parley.Server.Postgres.Tests.Cluster;

/// <summary>Named points where a simulated client "dies" (TESTPLAN E5): its connection is dropped and what it had not persisted is gone.</summary>
internal enum ClientCrashPoint
{
    /// <summary>The envelope arrived; the client dies before persisting (and showing) it.</summary>
    AfterReceiveBeforePersist,

    /// <summary>The envelope is persisted and shown; the client dies before acknowledging it.</summary>
    AfterPersistBeforeAck,
}

/// <summary>Crashes a client at each named point with a fixed probability, and counts the crashes per point.</summary>
internal sealed class ClientCrashPlan(double probability)
{
    private readonly long[] counts = new long[Enum.GetValues<ClientCrashPoint>().Length];

    public bool ShouldCrash(ClientCrashPoint point)
    {
        if (Random.Shared.NextDouble() >= probability)
        {
            return false;
        }

        Interlocked.Increment(ref counts[(int)point]);
        return true;
    }

    public long Count(ClientCrashPoint point) => Interlocked.Read(ref counts[(int)point]);
}

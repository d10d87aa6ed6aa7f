using Microsoft.Extensions.Logging;

namespace Parley.Server.Postgres.Operations;

/// <summary>Source-generated log messages of the PostgreSQL backend (event ids 300–399). Never a password or content.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information,
        Message = "Relay data in {Database} (node {Node}); schema version {Version} ({Applied} migrations applied now); synchronous_commit={SynchronousCommit} fsync={Fsync}")]
    public static partial void StoreReady(ILogger logger, string database, string node, long version, int applied, string synchronousCommit, string fsync);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information,
        Message = "Listening for wake-ups on {Channel} (connection {Connections}); re-reading the mailboxes of {Streams} connected streams")]
    public static partial void Listening(ILogger logger, string channel, long connections, int streams);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning,
        Message = "Lost the wake-up connection ({Reason}); reconnecting in {DelayMs} ms. Streams on this node still get their own node's mail and re-check every mailbox periodically")]
    public static partial void ListenLost(ILogger logger, string reason, long delayMs);
}

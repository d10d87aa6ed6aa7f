using Microsoft.Extensions.Logging;

namespace Parley.Server.Operations;

/// <summary>
/// Source-generated log messages with stable event ids. Routing metadata and sizes only: never content,
/// credentials or key bytes.
/// </summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "{Time} stored    {Sender} -> {Recipient} type={Type} size={Size} sha256={Hash}")]
    public static partial void Stored(ILogger logger, string time, string sender, string recipient, int type, int size, string hash);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "{Time} stored    {Sender} -> {Recipient} type={Type} size={Size} sha256={Hash} ciphertext={Prefix}")]
    public static partial void StoredWithCiphertext(ILogger logger, string time, string sender, string recipient, int type, int size, string hash, string prefix);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "{Time} delivered {Sender} -> {Recipient} type={Type} size={Size} sha256={Hash} via={Transport}")]
    public static partial void Delivered(ILogger logger, string time, string sender, string recipient, int type, int size, string hash, string transport);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "{Time} delivered {Sender} -> {Recipient} type={Type} size={Size} sha256={Hash} via={Transport} ciphertext={Prefix}")]
    public static partial void DeliveredWithCiphertext(ILogger logger, string time, string sender, string recipient, int type, int size, string hash, string transport, string prefix);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Registered {Username} with device {DeviceId}")]
    public static partial void Registered(ILogger logger, string username, int deviceId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Deleted account {Username}")]
    public static partial void AccountDeleted(ILogger logger, string username);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Removed {Count} expired envelopes")]
    public static partial void Expired(ILogger logger, int count);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Relay data in {Path}; schema version {Version} ({Applied} migrations applied now)")]
    public static partial void StoreReady(ILogger logger, string path, long version, int applied);

    [LoggerMessage(EventId = 140, Level = LogLevel.Debug, Message = "Stream {Device} closed: {Reason}")]
    public static partial void StreamClosed(ILogger logger, string device, string reason);

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string exceptionType, string method, string path);

    [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "The expiry sweep failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}

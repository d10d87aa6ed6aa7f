using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Parley.Contracts.Messages;

namespace Parley.Server.Operations;

/// <summary>
/// The operator console: one line per relayed envelope with what the relay can see — time, sender device,
/// recipient device, type, size and a short SHA-256 of the ciphertext; with <c>--show-ciphertext</c> also the
/// first <see cref="CiphertextPrefixBytes"/> bytes in base64, to show exactly that it is ciphertext.
/// </summary>
internal sealed class OperatorLog(ILoggerFactory loggers, TimeProvider time, bool showCiphertext)
{
    /// <summary>Logger category of the relayed-envelope lines.</summary>
    public const string Category = "Parley.Relay";

    /// <summary>How much ciphertext <c>--show-ciphertext</c> shows.</summary>
    public const int CiphertextPrefixBytes = 24;

    private readonly ILogger logger = loggers.CreateLogger(Category);

    public void Stored(string sender, string recipient, EnvelopeType type, ReadOnlySpan<byte> content)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // Computed once the level is known to be on (the guard above): hashing is the expensive part.
        var now = Now();
        var hash = ShortHash(content);
        if (showCiphertext)
        {
            var prefix = Prefix(content);
            RelayLog.StoredWithCiphertext(logger, now, sender, recipient, (int)type, content.Length, hash, prefix);
        }
        else
        {
            RelayLog.Stored(logger, now, sender, recipient, (int)type, content.Length, hash);
        }
    }

    public void Delivered(Envelope envelope, string recipient, string transport)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var sender = Device(envelope.SourceUsername, envelope.SourceDeviceId);
        var now = Now();
        var hash = ShortHash(envelope.Content);
        var size = envelope.Content.Length;
        var type = (int)envelope.Type;
        if (showCiphertext)
        {
            var prefix = Prefix(envelope.Content);
            RelayLog.DeliveredWithCiphertext(logger, now, sender, recipient, type, size, hash, transport, prefix);
        }
        else
        {
            RelayLog.Delivered(logger, now, sender, recipient, type, size, hash, transport);
        }
    }

    public void Registered(string username, int deviceId) => RelayLog.Registered(logger, username, deviceId);

    public void AccountDeleted(string username) => RelayLog.AccountDeleted(logger, username);

    public static string Device(string username, int deviceId) => username + "." + deviceId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first 8 bytes of SHA-256 in hex: enough to match lines, not to reconstruct anything.</summary>
    public static string ShortHash(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    private static string Prefix(ReadOnlySpan<byte> content) =>
        Convert.ToBase64String(content[..Math.Min(content.Length, CiphertextPrefixBytes)]) + (content.Length > CiphertextPrefixBytes ? "…" : "");

    private string Now() => time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

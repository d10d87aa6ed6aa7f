namespace Parley.Server;

/// <summary>
/// Every limit the relay enforces. Defaults are sized for a small community relay; all are configurable
/// through <c>Parley:Limits:*</c> (e.g. the environment variable <c>Parley__Limits__MaxEnvelopeBytes</c>).
/// </summary>
public sealed class RelayLimits
{
    /// <summary>Largest envelope content: 256 KiB (a 64 KiB plaintext PreKey message needs about 66 KiB).</summary>
    public int MaxEnvelopeBytes { get; set; } = 256 * 1024;

    /// <summary>Largest send request body: 4 MiB.</summary>
    public int MaxSendBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest registration or key upload body: 1 MiB (100 Kyber prekeys take about 215 KiB).</summary>
    public int MaxKeysBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest body of any other request (acknowledgements): 64 KiB.</summary>
    public int MaxSmallBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most one-time prekeys of each kind in one upload.</summary>
    public int MaxOneTimePreKeysPerUpload { get; set; } = 100;

    /// <summary>Most one-time prekeys of each kind a device may hold.</summary>
    public int MaxOneTimePreKeysPerDevice { get; set; } = 1000;

    /// <summary>Most envelope ids in one acknowledgement (HTTP or WebSocket).</summary>
    public int MaxAcknowledgeIds { get; set; } = 1000;

    /// <summary>
    /// Acknowledgement frames in a row on one stream that remove nothing (unknown, foreign or already acknowledged
    /// ids) before the relay closes the stream with 1008: each one costs a write, and a client only acknowledges what
    /// it was sent. Default 100.
    /// </summary>
    public int MaxUselessAcknowledgements { get; set; } = 100;

    /// <summary>Most envelopes waiting in one device's mailbox.</summary>
    public int MailboxMaxEnvelopes { get; set; } = 10_000;

    /// <summary>Most content bytes waiting in one device's mailbox: 256 MiB.</summary>
    public long MailboxMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long an unacknowledged envelope is kept: 30 days.</summary>
    public TimeSpan MessageRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often expired envelopes are removed.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most envelopes in one <c>GET /v1/messages</c> answer (and the WebSocket drain batch).</summary>
    public int FetchBatchSize { get; set; } = 100;

    /// <summary>Largest WebSocket message a client may send: 64 KiB.</summary>
    public int MaxStreamFrameBytes { get; set; } = 64 * 1024;

    /// <summary>How often the relay pings an open stream.</summary>
    public TimeSpan StreamKeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the relay waits for a pong before it drops the stream.</summary>
    public TimeSpan StreamKeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often an open stream re-reads its mailbox without a wake-up; delivery never depends on
    /// a wake-up alone.
    /// </summary>
    public TimeSpan StreamRecheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to receive a request's headers (Kestrel).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time an idle HTTP keep-alive connection is kept (Kestrel).</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Largest total size of a request's headers: 32 KiB (Kestrel).</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Most concurrent connections (Kestrel), upgraded WebSockets included.</summary>
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>The window of the fixed-window rate limits below.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per window from one IP address.</summary>
    public int RequestsPerIp { get; set; } = 1200;

    /// <summary>Authenticated requests per window from one account (all its devices).</summary>
    public int RequestsPerAccount { get; set; } = 600;

    /// <summary>Registrations per window from one IP address.</summary>
    public int RegistrationsPerIp { get; set; } = 10;
}

namespace Parley.Contracts.Realtime;

/// <summary>WebSocket close codes the relay uses on <c>/v1/stream</c> (RFC 6455 §7.4.1).</summary>
public static class StreamCloseCodes
{
    /// <summary>The relay is shutting down, or the client closed.</summary>
    public const int NormalClosure = 1000;

    /// <summary>The relay is going away (shutdown); reconnect later.</summary>
    public const int EndpointUnavailable = 1001;

    /// <summary>A frame broke the WebSocket protocol.</summary>
    public const int ProtocolError = 1002;

    /// <summary>A binary frame: the stream speaks JSON text only.</summary>
    public const int UnsupportedData = 1003;

    /// <summary>Bad UTF-8, malformed JSON, unknown fields or too deep nesting.</summary>
    public const int InvalidPayloadData = 1007;

    /// <summary>Too many ids in one acknowledgement, or the device no longer exists.</summary>
    public const int PolicyViolation = 1008;

    /// <summary>A frame over the relay's frame limit (64 KiB by default).</summary>
    public const int MessageTooBig = 1009;

    /// <summary>The relay could not go on with this connection (e.g. the device stopped reading); reconnect.</summary>
    public const int InternalError = 1011;
}

namespace Parley.Cli.Peer;

/// <summary>A peer sent something the peer protocol does not accept (the message says what, never content).</summary>
internal sealed class PeerProtocolException : Exception
{
    public PeerProtocolException()
    {
    }

    public PeerProtocolException(string message)
        : base(message)
    {
    }

    public PeerProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace Parley.Protocol.Stores;

/// <summary>Why the protocol asks whether an identity is trusted.</summary>
public enum TrustDirection
{
    /// <summary>Before sending to (or starting a session with) the peer.</summary>
    Sending,

    /// <summary>Before accepting a message from the peer.</summary>
    Receiving,
}

namespace Parley.Protocol.Stores;

/// <summary>What saving a peer's identity key did.</summary>
public enum IdentityChange
{
    /// <summary>The key was new for this address, or the same as before.</summary>
    NewOrUnchanged,

    /// <summary>A different key was stored before and has been replaced.</summary>
    ReplacedExisting,
}

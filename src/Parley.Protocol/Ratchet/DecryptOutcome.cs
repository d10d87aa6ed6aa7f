namespace Parley.Protocol.Ratchet;

/// <summary>How one session state fared with a message.</summary>
internal enum DecryptOutcome
{
    /// <summary>Decrypted; the state advanced.</summary>
    Success,

    /// <summary>The counter is behind the chain and its key is gone: stops the search over archived states.</summary>
    Duplicate,

    /// <summary>This state cannot decrypt the message (wrong session, forged, corrupt); try the next.</summary>
    Failed,
}

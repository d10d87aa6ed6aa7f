namespace Parley.Protocol.Messages;

/// <summary>An encrypted message ready for transport: its envelope type and its serialized bytes.</summary>
public abstract class CiphertextMessage
{
    private protected CiphertextMessage()
    {
    }

    /// <summary>The envelope-level type (2, 3 or 7).</summary>
    public abstract CiphertextMessageType Type { get; }

    /// <summary>The bytes to transmit, exactly as produced or received.</summary>
    public abstract ReadOnlyMemory<byte> Serialized { get; }

    /// <summary>A copy of <see cref="Serialized"/>.</summary>
    public byte[] Serialize() => Serialized.ToArray();
}

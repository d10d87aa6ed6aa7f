namespace Parley.Interop.Tests.Infrastructure;

/// <summary>A ciphertext in flight: who sent it to whom, its type and body, and the plaintext it must decrypt to.</summary>
/// <param name="To">The recipient; null for a group (sender-key) message, which any member may decrypt.</param>
/// <param name="Index">The sender's running count of messages in this conversation (for failure messages).</param>
public sealed record Envelope(Peer From, Peer? To, int Type, byte[] Body, byte[] Plaintext, int Index)
{
    /// <summary>The same envelope with another body (a tampered or replayed copy).</summary>
    public Envelope WithBody(byte[] body) => this with { Body = body };

    public override string ToString() => $"message #{Index} from {From.Label} (type {Type}, {Body.Length} bytes)";
}

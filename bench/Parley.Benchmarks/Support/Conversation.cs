using Parley.Protocol;
using Parley.Protocol.Messages;

namespace Parley.Benchmarks.Support;

/// <summary>
/// The fixed 1:1 exchange every ratchet benchmark starts from (bench/libsignal/bench.mjs replays the same one):
/// Alice processes Bob's bundle and sends a PreKey message, Bob replies, Alice answers with a new ratchet key (a
/// ratchet turn for Bob), then three more messages in that chain (100 B, 1 KiB, 16 KiB). Bob is the measured side.
/// </summary>
public sealed class Conversation
{
    private Conversation(BenchParty alice, BenchParty bob) => (Alice, Bob) = (alice, bob);

    public BenchParty Alice { get; }

    public BenchParty Bob { get; }

    /// <summary>Bob's session before the ratchet-turn message.</summary>
    public byte[] BeforeTurn { get; private set; } = [];

    /// <summary>Alice's first message with her new ratchet key (100 B).</summary>
    public (CiphertextMessageType Type, byte[] Bytes) TurnMessage { get; private set; }

    /// <summary>Bob's session before the next 100-byte message in the same chain.</summary>
    public byte[] BeforeSmall { get; private set; } = [];

    public (CiphertextMessageType Type, byte[] Bytes) SmallMessage { get; private set; }

    /// <summary>Bob's session before the 1 KiB message in the same chain.</summary>
    public byte[] BeforeMedium { get; private set; } = [];

    public (CiphertextMessageType Type, byte[] Bytes) MediumMessage { get; private set; }

    /// <summary>Bob's session before the 16 KiB message in the same chain.</summary>
    public byte[] BeforeLarge { get; private set; } = [];

    public (CiphertextMessageType Type, byte[] Bytes) LargeMessage { get; private set; }

    /// <summary>Bob's session at the end: two receiving chains, one sending chain.</summary>
    public byte[] Final { get; private set; } = [];

    public static Conversation Run()
    {
        var alice = new BenchParty("alice");
        var bob = new BenchParty("bob");
        var c = new Conversation(alice, bob);

        alice.ProcessBundle(bob.PublishBundle(1), bob.Address);
        bob.Decrypt(alice.Address, Expect(alice.Encrypt(bob.Address, Payload.Small), CiphertextMessageType.PreKey));
        alice.Decrypt(bob.Address, Expect(bob.Encrypt(alice.Address, Payload.Small), CiphertextMessageType.Whisper));

        c.BeforeTurn = bob.SessionBytes(alice.Address);
        c.TurnMessage = Expect(alice.Encrypt(bob.Address, Payload.Small), CiphertextMessageType.Whisper);
        bob.Decrypt(alice.Address, c.TurnMessage);

        c.BeforeSmall = bob.SessionBytes(alice.Address);
        c.SmallMessage = alice.Encrypt(bob.Address, Payload.Small);
        bob.Decrypt(alice.Address, c.SmallMessage);

        c.BeforeMedium = bob.SessionBytes(alice.Address);
        c.MediumMessage = alice.Encrypt(bob.Address, Payload.Medium);
        bob.Decrypt(alice.Address, c.MediumMessage);

        c.BeforeLarge = bob.SessionBytes(alice.Address);
        c.LargeMessage = alice.Encrypt(bob.Address, Payload.Large);
        if (bob.Decrypt(alice.Address, c.LargeMessage).Length != Payload.Large)
        {
            throw new InvalidOperationException("The setup conversation did not round-trip.");
        }

        c.Final = bob.SessionBytes(alice.Address);
        return c;
    }

    private static (CiphertextMessageType Type, byte[] Bytes) Expect((CiphertextMessageType Type, byte[] Bytes) message, CiphertextMessageType type) =>
        message.Type == type ? message : throw new InvalidOperationException($"Expected a {type} message, got {message.Type}.");
}

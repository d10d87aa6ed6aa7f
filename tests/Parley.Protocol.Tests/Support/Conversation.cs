namespace Parley.Protocol.Tests.Support;

/// <summary>Shortcuts for sessions in a known state.</summary>
internal static class Conversation
{
    /// <summary>Alice and Bob with an acknowledged session (one PreKey message and one reply exchanged).</summary>
    public static async Task<(TestParty Alice, TestParty Bob)> EstablishedAsync(ProtocolEnvironment? aliceEnvironment = null, ProtocolEnvironment? bobEnvironment = null)
    {
        var alice = new TestParty(environment: aliceEnvironment);
        var bob = new TestParty(environment: bobEnvironment);
        await alice.StartSessionWithAsync(bob);
        await bob.DecryptAsync(alice, await alice.EncryptAsync(bob, "hello"));
        await alice.DecryptAsync(bob, await bob.EncryptAsync(alice, "hello back"));
        return (alice, bob);
    }
}

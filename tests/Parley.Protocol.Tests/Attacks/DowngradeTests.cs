using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Tests.Support;

namespace Parley.Protocol.Tests.Attacks;

/// <summary>TESTPLAN C4: no downgrade to X3DH, no unsigned or mis-signed pre-keys, no silent identity change.</summary>
public sealed class DowngradeTests
{
    [Fact]
    public async Task PreKey_message_rewritten_to_version_3_without_Kyber_is_refused()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        await alice.StartSessionWithAsync(bob);
        var bytes = (await alice.EncryptAsync(bob, "downgrade")).Serialize();
        var v3 = ProtoEdit.RemoveField(ProtoEdit.RemoveField(bytes, 1, 8), 1, 7);
        v3[0] = 0x34;
        var before = bob.Snapshot();
        var error = await Assert.ThrowsAsync<InvalidMessageException>(() => bob.DecryptBytesAsync(alice, CiphertextMessageType.PreKey, v3));
        Assert.Contains("X3DH", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, bob.Snapshot());

        // As version 4, dropping the Kyber fields does not even parse.
        v3[0] = 0x44;
        Assert.Throws<InvalidMessageException>(() => PreKeySignalMessage.Deserialize(v3));
    }

    [Fact]
    public async Task A_bundle_cannot_omit_the_Kyber_pre_key_or_carry_an_ML_KEM_key()
    {
        var bob = new TestParty();
        var bundle = bob.CreateBundle();
        Assert.Throws<ArgumentNullException>(() => new PreKeyBundle(
            bundle.RegistrationId, bundle.DeviceId, bundle.PreKeyId, bundle.PreKey, bundle.SignedPreKeyId, bundle.SignedPreKey,
            bundle.SignedPreKeySignature.Span, bundle.IdentityKey, bundle.KyberPreKeyId, null!, bundle.KyberPreKeySignature.Span));

        var mlKem = bundle.KyberPreKey.Serialize();
        mlKem[0] = 0x0A;
        Assert.Equal(0x0A, Assert.Throws<BadKeyTypeException>(() => KemPublicKey.Deserialize(mlKem)).KeyType);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bundle_with_a_bad_pre_key_signature_is_refused(bool signedPreKey)
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var bundle = bob.CreateBundle();
        var signedSignature = bundle.SignedPreKeySignature.ToArray();
        var kyberSignature = bundle.KyberPreKeySignature.ToArray();
        (signedPreKey ? signedSignature : kyberSignature)[10] ^= 1;
        var forged = new PreKeyBundle(
            bundle.RegistrationId, bundle.DeviceId, bundle.PreKeyId, bundle.PreKey, bundle.SignedPreKeyId, bundle.SignedPreKey,
            signedSignature, bundle.IdentityKey, bundle.KyberPreKeyId, bundle.KyberPreKey, kyberSignature);
        var before = alice.Snapshot();
        await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.ProcessBundleAsync(bob, forged).AsTask());
        Assert.Equal(before, alice.Snapshot());
    }

    [Fact]
    public async Task A_bundle_whose_keys_are_signed_by_another_identity_is_refused()
    {
        var alice = new TestParty();
        var bob = new TestParty();
        var mallory = new TestParty();
        var bundle = bob.CreateBundle();
        var swapped = new PreKeyBundle(
            bundle.RegistrationId, bundle.DeviceId, bundle.PreKeyId, bundle.PreKey, bundle.SignedPreKeyId, bundle.SignedPreKey,
            bundle.SignedPreKeySignature.Span, mallory.Identity.IdentityKey, bundle.KyberPreKeyId, bundle.KyberPreKey, bundle.KyberPreKeySignature.Span);
        await Assert.ThrowsAsync<InvalidSignatureException>(() => alice.ProcessBundleAsync(bob, swapped).AsTask());
    }

    [Fact]
    public async Task A_changed_identity_key_is_reported_as_untrusted_without_key_bytes()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();

        // "Bob" re-installs: same address, new identity.
        var newBob = new TestParty(bob.Address.Name, bob.Address.DeviceId);
        var before = alice.Snapshot();
        var error = await Assert.ThrowsAsync<UntrustedIdentityException>(() => alice.ProcessBundleAsync(newBob, newBob.CreateBundle()).AsTask());
        Assert.Equal(bob.Address, error.Address);
        Assert.Null(SecretScan.FindLeak(error.Message, [newBob.Identity.IdentityKey.Serialize(), bob.Identity.IdentityKey.Serialize()]));
        Assert.Equal(before, alice.Snapshot());

        // A PreKey message from the new identity is refused as well, and changes nothing.
        await newBob.StartSessionWithAsync(alice);
        var fromNewBob = await newBob.EncryptAsync(alice, "it's me, really");
        before = alice.Snapshot();
        await Assert.ThrowsAsync<UntrustedIdentityException>(() => alice.DecryptAsync(newBob, fromNewBob));
        Assert.Equal(before, alice.Snapshot());

        // Once the user accepts the new key, both work.
        await alice.Store.SaveIdentityAsync(bob.Address, newBob.Identity.IdentityKey, default);
        Assert.Equal("it's me, really", await alice.DecryptAsync(newBob, fromNewBob));
    }

    [Fact]
    public async Task Encrypting_to_a_peer_whose_identity_changed_is_refused()
    {
        var (alice, bob) = await Conversation.EstablishedAsync();
        await alice.Store.SaveIdentityAsync(bob.Address, IdentityKeyPair.Generate().IdentityKey, default);
        var before = alice.Snapshot();
        await Assert.ThrowsAsync<UntrustedIdentityException>(() => alice.EncryptAsync(bob, "x"));
        Assert.Equal(before, alice.Snapshot());
    }
}

using Parley.Protocol.Ratchet;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Protocol;

/// <summary>Starts sessions from a peer's pre-key bundle (the initiator's half of PQXDH).</summary>
public static class SessionBuilder
{
    /// <summary>
    /// Verifies <paramref name="bundle"/> and makes a new current session with <paramref name="remoteAddress"/>,
    /// archiving any existing one (PROTOCOL.md §5.4). Messages encrypted afterwards are PreKey messages until the
    /// peer's first reply decrypts.
    /// </summary>
    /// <exception cref="UntrustedIdentityException">The bundle's identity key differs from the trusted one.</exception>
    /// <exception cref="InvalidSignatureException">The signed or the Kyber pre-key signature does not verify.</exception>
    /// <exception cref="InvalidKeyException">A bundle key gives an all-zero agreement.</exception>
    public static async ValueTask ProcessPreKeyBundleAsync(
        PreKeyBundle bundle,
        ProtocolAddress remoteAddress,
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        ProtocolEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        environment ??= ProtocolEnvironment.System;

        var theirIdentity = bundle.IdentityKey;
        if (!await identityStore.IsTrustedIdentityAsync(remoteAddress, theirIdentity, TrustDirection.Sending, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remoteAddress);
        }

        if (!theirIdentity.VerifySignature(bundle.SignedPreKey.Serialize(), bundle.SignedPreKeySignature.Span))
        {
            throw new InvalidSignatureException("Signed pre-key signature does not verify.");
        }

        if (!theirIdentity.VerifySignature(bundle.KyberPreKey.Serialize(), bundle.KyberPreKeySignature.Span))
        {
            throw new InvalidSignatureException("Kyber pre-key signature does not verify.");
        }

        var loaded = await sessionStore.LoadSessionAsync(remoteAddress, cancellationToken).ConfigureAwait(false);
        var record = loaded?.Clone() ?? new SessionRecord();
        var ourIdentity = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var localRegistrationId = await identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);

        var baseKey = Keys.EcKeyPair.Generate(environment.Random);
        var (state, kyberCiphertext) = Pqxdh.InitializeAlice(
            ourIdentity, baseKey, theirIdentity, bundle.SignedPreKey, bundle.PreKey, bundle.KyberPreKey, environment.Random);
        var now = environment.Time.GetUtcNow().ToUnixTimeSeconds();
        state.PendingPreKey = new PendingPreKey(bundle.PreKeyId, bundle.SignedPreKeyId, baseKey.PublicKey, now > 0 ? (ulong)now : 0);
        state.PendingKyberPreKey = new PendingKyberPreKey(bundle.KyberPreKeyId, kyberCiphertext);
        state.LocalRegistrationId = localRegistrationId;
        state.RemoteRegistrationId = bundle.RegistrationId;

        await identityStore.SaveIdentityAsync(remoteAddress, theirIdentity, cancellationToken).ConfigureAwait(false);
        record.PromoteState(state);
        await sessionStore.StoreSessionAsync(remoteAddress, record, cancellationToken).ConfigureAwait(false);
    }
}

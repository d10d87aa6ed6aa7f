using Parley.Protocol.Keys;
using Parley.Protocol.Messages;
using Parley.Protocol.Ratchet;
using Parley.Protocol.Records;
using Parley.Protocol.Stores;

namespace Parley.Protocol;

/// <summary>
/// Encrypts and decrypts 1:1 messages over the stores passed in (PROTOCOL.md §5.4, §6).
/// </summary>
/// <remarks>
/// Decryption is transactional: it works on a copy of the session record and writes to the stores only after the
/// message authenticated and decrypted, so a failed decryption leaves every store unchanged. Callers serialize
/// operations per remote address.
/// </remarks>
public static class SessionCipher
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> for <paramref name="remoteAddress"/> with the current session: a
    /// <see cref="PreKeySignalMessage"/> while the peer has not answered yet, a <see cref="SignalMessage"/> after.
    /// </summary>
    /// <param name="plaintext">The message content.</param>
    /// <param name="remoteAddress">The recipient device.</param>
    /// <param name="localAddress">This device; used for the PreKey <c>addresses</c> field when both names are ServiceIds.</param>
    /// <param name="sessionStore">Session records.</param>
    /// <param name="identityStore">Identity keys and trust.</param>
    /// <param name="environment">Clock and randomness; <see cref="ProtocolEnvironment.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels store calls.</param>
    /// <exception cref="NoSessionException">No current session, or it can no longer send.</exception>
    /// <exception cref="UntrustedIdentityException">The peer's identity is no longer trusted.</exception>
    public static async ValueTask<CiphertextMessage> EncryptAsync(
        ReadOnlyMemory<byte> plaintext,
        ProtocolAddress remoteAddress,
        ProtocolAddress localAddress,
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        ProtocolEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        environment ??= ProtocolEnvironment.System;

        var record = await LoadWorkingCopyAsync(sessionStore, remoteAddress, cancellationToken).ConfigureAwait(false);
        var state = record.CurrentState ?? throw new NoSessionException(remoteAddress, "no current session.");
        if (state.RequiredPqRatchetState is not null)
        {
            throw new NoSessionException(remoteAddress, "the session requires the post-quantum ratchet, which Parley does not implement.");
        }

        if (state.SenderChain is null || state.RemoteIdentity is null)
        {
            throw new NoSessionException(remoteAddress, "the session has no sending chain.");
        }

        if (state.SenderChain.ChainKey.IsExhausted)
        {
            throw new NoSessionException(remoteAddress, "the sending chain is exhausted.");
        }

        byte[]? addresses = null;
        if (state.PendingPreKey is { } pending)
        {
            if (SessionRecord.IsExpired(pending, environment.Time.GetUtcNow()))
            {
                throw new NoSessionException(remoteAddress, "the session was never acknowledged and is too old to send on.");
            }

            addresses = AddressesField.TryBuild(localAddress, remoteAddress);
        }

        var remoteIdentity = state.RemoteIdentity;
        var message = DoubleRatchet.Encrypt(state, plaintext.Span, addresses);

        await CommitIfTrustedAsync(remoteAddress, remoteIdentity, TrustDirection.Sending, record, sessionStore, identityStore, cancellationToken).ConfigureAwait(false);
        return message;
    }

    /// <summary>Decrypts a SignalMessage from <paramref name="remoteAddress"/> (current session first, then archived ones).</summary>
    /// <exception cref="NoSessionException">There is no session record for the address.</exception>
    /// <exception cref="DuplicateMessageException">Already decrypted (or its key was dropped).</exception>
    /// <exception cref="InvalidMessageException">No session state decrypts it (forged, corrupt, misdirected).</exception>
    /// <exception cref="UntrustedIdentityException">The peer's identity is no longer trusted.</exception>
    public static async ValueTask<byte[]> DecryptSignalMessageAsync(
        SignalMessage message,
        ProtocolAddress remoteAddress,
        ProtocolAddress localAddress,
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        ProtocolEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        environment ??= ProtocolEnvironment.System;

        var record = await LoadWorkingCopyAsync(sessionStore, remoteAddress, cancellationToken).ConfigureAwait(false);
        var plaintext = DecryptWithRecord(record, message, CiphertextMessageType.Whisper, remoteAddress, localAddress, environment);

        var remoteIdentity = record.CurrentState!.RemoteIdentity!;
        await CommitIfTrustedAsync(remoteAddress, remoteIdentity, TrustDirection.Receiving, record, sessionStore, identityStore, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    /// <summary>
    /// Decrypts a PreKeySignalMessage: reuses the session with the same base key if there is one, otherwise runs
    /// PQXDH as the recipient and makes a new current session (PROTOCOL.md §5.4).
    /// </summary>
    /// <exception cref="UntrustedIdentityException">The sender's identity key differs from the trusted one.</exception>
    /// <exception cref="InvalidPreKeyIdException">A pre-key it names is not in the stores.</exception>
    /// <exception cref="ReusedBaseKeyException">A replay against a last-resort Kyber pre-key.</exception>
    /// <exception cref="DuplicateMessageException">Already decrypted.</exception>
    /// <exception cref="InvalidMessageException">Version 3, missing Kyber data, a bad base key or ciphertext, or no decryption.</exception>
    public static async ValueTask<byte[]> DecryptPreKeyMessageAsync(
        PreKeySignalMessage message,
        ProtocolAddress remoteAddress,
        ProtocolAddress localAddress,
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        IPreKeyStore preKeyStore,
        ISignedPreKeyStore signedPreKeyStore,
        IKyberPreKeyStore kyberPreKeyStore,
        ProtocolEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentNullException.ThrowIfNull(sessionStore);
        ArgumentNullException.ThrowIfNull(identityStore);
        ArgumentNullException.ThrowIfNull(preKeyStore);
        ArgumentNullException.ThrowIfNull(signedPreKeyStore);
        ArgumentNullException.ThrowIfNull(kyberPreKeyStore);
        environment ??= ProtocolEnvironment.System;

        var loaded = await sessionStore.LoadSessionAsync(remoteAddress, cancellationToken).ConfigureAwait(false);
        var record = loaded?.Clone() ?? new SessionRecord();
        var theirIdentity = message.IdentityKey;
        if (!await identityStore.IsTrustedIdentityAsync(remoteAddress, theirIdentity, TrustDirection.Receiving, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remoteAddress);
        }

        var baseKey = message.BaseKey.Serialize();
        var builtNewSession = false;
        // A repeat of an earlier PreKey message (the initiator keeps sending them until we answer) reuses its session.
        if (!record.TryPromoteMatchingSession((uint)message.MessageVersion, baseKey))
        {
            var state = await BuildRecipientSessionAsync(message, identityStore, preKeyStore, signedPreKeyStore, kyberPreKeyStore, cancellationToken).ConfigureAwait(false);
            record.PromoteState(state);
            builtNewSession = true;
        }

        var plaintext = DecryptWithRecord(record, message.Message, CiphertextMessageType.PreKey, remoteAddress, localAddress, environment);

        // Commit: every check passed. The replay guard goes first so that a refused replay writes nothing.
        if (builtNewSession)
        {
            await kyberPreKeyStore.MarkKyberPreKeyUsedAsync(message.KyberPreKeyId!.Value, message.SignedPreKeyId, message.BaseKey, cancellationToken).ConfigureAwait(false);
        }

        await identityStore.SaveIdentityAsync(remoteAddress, theirIdentity, cancellationToken).ConfigureAwait(false);
        if (builtNewSession && message.PreKeyId is { } preKeyId)
        {
            await preKeyStore.RemovePreKeyAsync(preKeyId, cancellationToken).ConfigureAwait(false);
        }

        await sessionStore.StoreSessionAsync(remoteAddress, record, cancellationToken).ConfigureAwait(false);
        return plaintext;
    }

    /// <summary>A copy of the stored record to work on, so that a failure leaves the store untouched.</summary>
    private static async ValueTask<SessionRecord> LoadWorkingCopyAsync(ISessionStore sessionStore, ProtocolAddress remoteAddress, CancellationToken cancellationToken)
    {
        var loaded = await sessionStore.LoadSessionAsync(remoteAddress, cancellationToken).ConfigureAwait(false)
            ?? throw new NoSessionException(remoteAddress, "no session.");
        return loaded.Clone();
    }

    /// <summary>The last step of an encrypt or decrypt: refuse an untrusted peer, else save its identity and the new record.</summary>
    private static async ValueTask CommitIfTrustedAsync(
        ProtocolAddress remoteAddress,
        IdentityKey remoteIdentity,
        TrustDirection direction,
        SessionRecord record,
        ISessionStore sessionStore,
        IIdentityKeyStore identityStore,
        CancellationToken cancellationToken)
    {
        if (!await identityStore.IsTrustedIdentityAsync(remoteAddress, remoteIdentity, direction, cancellationToken).ConfigureAwait(false))
        {
            throw new UntrustedIdentityException(remoteAddress);
        }

        await identityStore.SaveIdentityAsync(remoteAddress, remoteIdentity, cancellationToken).ConfigureAwait(false);
        await sessionStore.StoreSessionAsync(remoteAddress, record, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<SessionState> BuildRecipientSessionAsync(
        PreKeySignalMessage message,
        IIdentityKeyStore identityStore,
        IPreKeyStore preKeyStore,
        ISignedPreKeyStore signedPreKeyStore,
        IKyberPreKeyStore kyberPreKeyStore,
        CancellationToken cancellationToken)
    {
        if (message.MessageVersion != MessageVersion.Current)
        {
            // Deliberately an invalid-message error, as in libsignal: X3DH sessions are no longer made.
            throw new InvalidMessageException(CiphertextMessageType.PreKey, "X3DH (version 3) is no longer supported.");
        }

        if (message.KyberPreKeyId is not { } kyberPreKeyId || message.KyberCiphertext.IsEmpty)
        {
            throw new InvalidMessageException(CiphertextMessageType.PreKey, "missing Kyber pre-key id or ciphertext.");
        }

        var signedPreKey = await signedPreKeyStore.LoadSignedPreKeyAsync(message.SignedPreKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidPreKeyIdException(PreKeyKind.SignedEc, message.SignedPreKeyId);
        var kyberPreKey = await kyberPreKeyStore.LoadKyberPreKeyAsync(kyberPreKeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidPreKeyIdException(PreKeyKind.Kyber, kyberPreKeyId);
        EcKeyPair? oneTimePreKey = null;
        if (message.PreKeyId is { } preKeyId)
        {
            var record = await preKeyStore.LoadPreKeyAsync(preKeyId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidPreKeyIdException(PreKeyKind.OneTime, preKeyId);
            oneTimePreKey = record.KeyPair;
        }

        var ourIdentity = await identityStore.GetIdentityKeyPairAsync(cancellationToken).ConfigureAwait(false);
        var localRegistrationId = await identityStore.GetLocalRegistrationIdAsync(cancellationToken).ConfigureAwait(false);
        if (!Pqxdh.TryInitializeBob(
            ourIdentity,
            signedPreKey.KeyPair,
            oneTimePreKey,
            kyberPreKey.KeyPair.SecretKey,
            message.IdentityKey,
            message.BaseKey,
            message.KyberCiphertext.Span,
            out var state,
            out var failure))
        {
            throw new InvalidMessageException(CiphertextMessageType.PreKey, failure);
        }

        state.LocalRegistrationId = localRegistrationId;
        state.RemoteRegistrationId = message.RegistrationId;
        return state;
    }

    /// <summary>
    /// Tries the current state, then (for SignalMessages) each archived state, each on a copy; promotes the first that
    /// decrypts. A duplicate stops the search at once.
    /// </summary>
    private static byte[] DecryptWithRecord(
        SessionRecord record,
        SignalMessage message,
        CiphertextMessageType messageType,
        ProtocolAddress remoteAddress,
        ProtocolAddress localAddress,
        ProtocolEnvironment environment)
    {
        var expectedAddresses = message.HasAddresses ? AddressesField.TryBuild(remoteAddress, localAddress) : null;
        string? firstFailure = null;
        if (record.CurrentState is { } current)
        {
            var attempt = current.Clone();
            var outcome = DoubleRatchet.TryDecrypt(attempt, message, expectedAddresses, environment.Random, out var plaintext, out var failure);
            switch (outcome)
            {
                case DecryptOutcome.Success:
                    record.CurrentState = attempt;
                    return plaintext;
                case DecryptOutcome.Duplicate:
                    throw new DuplicateMessageException(ChainIndexFor(current, message), message.Counter);
            }

            firstFailure = failure;
            if (messageType == CiphertextMessageType.PreKey)
            {
                throw DecryptionFailed(messageType, firstFailure);
            }
        }

        for (var i = 0; i < record.PreviousStates.Count; i++)
        {
            var attempt = record.PreviousStates[i].Clone();
            var outcome = DoubleRatchet.TryDecrypt(attempt, message, expectedAddresses, environment.Random, out var plaintext, out var failure);
            switch (outcome)
            {
                case DecryptOutcome.Success:
                    record.PromoteOldSession(i, attempt);
                    return plaintext;
                case DecryptOutcome.Duplicate:
                    throw new DuplicateMessageException(ChainIndexFor(record.PreviousStates[i], message), message.Counter);
            }

            firstFailure ??= failure;
        }

        throw DecryptionFailed(messageType, firstFailure);
    }

    /// <summary>libsignal's "decryption failed", plus the first state's reason (never key material).</summary>
    private static InvalidMessageException DecryptionFailed(CiphertextMessageType messageType, string? reason) =>
        new(messageType, reason is null ? "decryption failed (no session state)." : $"decryption failed ({reason.TrimEnd('.')}).");

    private static uint ChainIndexFor(SessionState state, SignalMessage message) =>
        state.FindReceiverChain(message.SenderRatchetKey)?.ChainKey.Index ?? 0;
}

using Parley.Client.Storage;
using Parley.Contracts.Keys;
using Parley.Protocol;
using Parley.Protocol.Keys;

namespace Parley.Client.Messaging;

/// <summary>How starting a session from a bundle ended.</summary>
internal enum SetupOutcome
{
    /// <summary>A new session is current.</summary>
    Established,

    /// <summary>The identity key differs from a verified contact's: the new key was stored, the session was not made.</summary>
    BlockedByVerification,
}

/// <summary>
/// Starts sessions from prekey bundles with Parley's identity rules: a changed key of an unverified contact
/// is accepted (and reported); a changed key of a verified contact is stored for re-verification but no
/// session is made, so nothing is sent to it.
/// </summary>
internal static class SessionSetup
{
    /// <summary>Parses a relay bundle; a malformed one is the relay's fault.</summary>
    public static PreKeyBundle FromRelay(DevicePreKeyBundle device, string username)
    {
        try
        {
            return new PreKeyBundle(
                checked((uint)device.RegistrationId),
                device.DeviceId,
                device.PreKey?.KeyId,
                device.PreKey is { } preKey ? EcPublicKey.Deserialize(preKey.PublicKey) : null,
                device.SignedPreKey.KeyId,
                EcPublicKey.Deserialize(device.SignedPreKey.PublicKey),
                device.SignedPreKey.Signature,
                IdentityKey.Deserialize(device.IdentityKey),
                device.KyberPreKey.KeyId,
                KemPublicKey.Deserialize(device.KyberPreKey.PublicKey),
                device.KyberPreKey.Signature);
        }
        catch (Exception e) when (e is ProtocolException or OverflowException or ArgumentException)
        {
            throw new ParleyException(ParleyErrorCode.RelayRejected, $"The relay returned an invalid key bundle for '{username}'.", e);
        }
    }

    public static async ValueTask<SetupOutcome> EstablishAsync(
        ClientContext context, SqliteProtocolStore store, ProtocolAddress address, PreKeyBundle bundle, ParleyErrorCode badBundleCode, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await SessionBuilder.ProcessPreKeyBundleAsync(bundle, address, store, store, context.Protocol, cancellationToken).ConfigureAwait(false);
                return SetupOutcome.Established;
            }
            catch (UntrustedIdentityException) when (attempt == 0)
            {
                var contact = ContactRows.Get(store.Transaction, address.Name);
                await store.SaveIdentityAsync(address, bundle.IdentityKey, cancellationToken).ConfigureAwait(false);
                if (contact is { State: not VerificationState.Unverified })
                {
                    return SetupOutcome.BlockedByVerification;
                }
            }
            catch (UntrustedIdentityException)
            {
                return SetupOutcome.BlockedByVerification;
            }
            catch (InvalidSignatureException e)
            {
                throw new ParleyException(badBundleCode, $"The key bundle of '{address.Name}' has an invalid signature.", e);
            }
            catch (InvalidKeyException e)
            {
                throw new ParleyException(badBundleCode, $"The key bundle of '{address.Name}' holds an invalid key.", e);
            }
        }
    }

    public static ParleyException Blocked(string name) => new(
        ParleyErrorCode.IdentityChanged,
        $"The safety number with '{name}' changed since you verified it; compare and verify the new one before sending.");
}

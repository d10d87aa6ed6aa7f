using Parley.Cli.Chat;
using Parley.Client;

namespace Parley.Cli.Commands;

/// <summary>Builds the public <see cref="IdentitySummary"/> of us and a contact from the SDK.</summary>
internal static class IdentityFacts
{
    /// <summary>How identity keys are shown: lowercase hex of the 33-byte serialized key.</summary>
    public static string Key(byte[] identityKey) => Convert.ToHexStringLower(identityKey);

    public static async Task<IdentitySummary> SummarizeAsync(ParleyClient client, string? peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var own = client.GetOwnIdentity();
        if (peer is null)
        {
            return new IdentitySummary(own.Username, Key(own.IdentityKey), "(no peer yet)", null, null, false);
        }

        var contact = await client.Contacts.GetAsync(peer, cancellationToken).ConfigureAwait(false);
        if (contact is null)
        {
            return new IdentitySummary(own.Username, Key(own.IdentityKey), peer, null, null, false);
        }

        var safety = await client.Contacts.GetSafetyNumberAsync(peer, cancellationToken).ConfigureAwait(false);
        return new IdentitySummary(
            own.Username, Key(own.IdentityKey), peer, Key(contact.IdentityKey), safety.Digits, contact.Verification == VerificationState.Verified);
    }
}

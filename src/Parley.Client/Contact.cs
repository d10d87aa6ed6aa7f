namespace Parley.Client;

/// <summary>Someone this profile has exchanged keys with.</summary>
/// <param name="Username">The contact's username.</param>
/// <param name="Verification">Whether the user has verified the safety number, and whether the key changed since.</param>
/// <param name="IdentityKey">The contact's current public identity key (33 bytes, <c>0x05</c> + 32), of its lowest device id.</param>
/// <param name="FirstSeen">When this profile first stored a key for the contact.</param>
/// <param name="IdentityChangedAt">When the contact's identity key last changed, if it ever did.</param>
public sealed record Contact(
    string Username,
    VerificationState Verification,
    byte[] IdentityKey,
    DateTimeOffset FirstSeen,
    DateTimeOffset? IdentityChangedAt)
{
    /// <summary>True when sending to this contact is refused until the user re-verifies.</summary>
    public bool SendingBlocked => Verification == VerificationState.ChangedAfterVerification;
}

/// <summary>A contact's verification state.</summary>
public enum VerificationState
{
    /// <summary>The key is trusted on first use; the safety number was never confirmed (or the user unmarked it).</summary>
    Unverified,

    /// <summary>The user confirmed the safety number for the current key.</summary>
    Verified,

    /// <summary>The contact was verified, then its identity key changed: sending is refused until the user acts.</summary>
    ChangedAfterVerification,
}

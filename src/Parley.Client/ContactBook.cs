using System.Security.Cryptography;
using Parley.Client.Storage;

namespace Parley.Client;

/// <summary>
/// The profile's contacts: identity keys, safety numbers and verification. Obtain it from
/// <see cref="ParleyClient.Contacts"/>.
/// </summary>
public sealed class ContactBook
{
    private readonly ClientContext _context;

    internal ContactBook(ClientContext context) => _context = context;

    /// <summary>Every contact, by username.</summary>
    public Task<IReadOnlyList<Contact>> ListAsync(CancellationToken cancellationToken = default) =>
        _context.Database.ReadAsync(tx =>
        {
            var contacts = tx.Query(StoreSchema.Contacts, "1 = 1 ORDER BY name")
                .Select(row => ToContact(tx, (string)row.Values[0], StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.ContactEntry)))
                .OfType<Contact>()
                .ToList();
            return ValueTask.FromResult<IReadOnlyList<Contact>>(contacts);
        }, cancellationToken);

    /// <summary>The contact, or null when no key is known for that username.</summary>
    public Task<Contact?> GetAsync(string username, CancellationToken cancellationToken = default)
    {
        var name = Usernames.Require(username);
        return _context.Database.ReadAsync(
            tx => ValueTask.FromResult(ContactRows.Get(tx, name) is { } entry ? ToContact(tx, name, entry) : null), cancellationToken);
    }

    /// <summary>The safety number between us and the contact's current identity key.</summary>
    /// <exception cref="ParleyException"><see cref="ParleyErrorCode.UnknownContact"/> when no key is known yet.</exception>
    public async Task<SafetyNumber> GetSafetyNumberAsync(string username, CancellationToken cancellationToken = default)
    {
        var name = Usernames.Require(username);
        var key = await _context.Database.ReadAsync(tx => ValueTask.FromResult(ContactRows.CurrentKey(tx, name)), cancellationToken).ConfigureAwait(false)
            ?? throw Unknown(name);
        return _context.SafetyNumberWith(name, key);
    }

    /// <summary>
    /// Marks the contact verified when <paramref name="displayedSafetyNumber"/> matches the current safety number
    /// (pass null once the user has compared the numbers some other way, e.g. by scanning). False, and no
    /// change, when the number does not match. Verifying lifts a block set by an identity change.
    /// </summary>
    public async Task<bool> VerifyAsync(string username, string? displayedSafetyNumber, CancellationToken cancellationToken = default)
    {
        var name = Usernames.Require(username);
        return await _context.Database.WriteAsync(tx =>
        {
            var key = ContactRows.CurrentKey(tx, name) ?? throw Unknown(name);
            if (displayedSafetyNumber is not null && !_context.SafetyNumberWith(name, key).Matches(displayedSafetyNumber))
            {
                return ValueTask.FromResult(false);
            }

            var entry = ContactRows.Get(tx, name) ?? throw Unknown(name);
            ContactRows.Put(tx, name, entry with { State = VerificationState.Verified, VerifiedKey = key });
            return ValueTask.FromResult(true);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the contact verified for its current key (the user compared the safety numbers).</summary>
    public Task MarkVerifiedAsync(string username, CancellationToken cancellationToken = default) =>
        VerifyAsync(username, null, cancellationToken);

    /// <summary>
    /// Marks the contact unverified. After an identity change this is the user's explicit acceptance of the new
    /// key without verifying it: sending is allowed again.
    /// </summary>
    public Task MarkUnverifiedAsync(string username, CancellationToken cancellationToken = default)
    {
        var name = Usernames.Require(username);
        return _context.Database.WriteAsync(tx =>
        {
            var entry = ContactRows.Get(tx, name) ?? throw Unknown(name);
            ContactRows.Put(tx, name, entry with { State = VerificationState.Unverified, VerifiedKey = null });
            return ValueTask.FromResult(true);
        }, cancellationToken);
    }

    private static Contact? ToContact(StoreTransaction tx, string name, ContactEntry entry)
    {
        var key = ContactRows.CurrentKey(tx, name);
        if (key is null)
        {
            return null;
        }

        var state = entry.State == VerificationState.Verified && entry.VerifiedKey is { } verified && !CryptographicOperations.FixedTimeEquals(verified, key)
            ? VerificationState.ChangedAfterVerification
            : entry.State;
        return new Contact(
            name,
            state,
            key,
            DateTimeOffset.FromUnixTimeMilliseconds(entry.FirstSeenMs),
            entry.IdentityChangedAtMs is { } changed ? DateTimeOffset.FromUnixTimeMilliseconds(changed) : null);
    }

    private static ParleyException Unknown(string name) =>
        new(ParleyErrorCode.UnknownContact, $"No identity key is known for '{name}' yet; exchange a message first.");
}

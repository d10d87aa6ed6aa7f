using System.Security.Cryptography;
using Parley.Client.Relay;
using Parley.Client.Storage;
using Parley.Protocol;
using Parley.Protocol.Keys;

namespace Parley.Client;

/// <summary>What every part of an open client shares: the store, our identity and account, the relay, options.</summary>
internal sealed class ClientContext : IDisposable
{
    private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();

    public ClientContext(ProfileDatabase database, IdentityKeyPair identity, AccountEntry account, ParleyClientOptions options)
    {
        Database = database;
        Identity = identity;
        Account = account;
        Options = options;
        Protocol = new ProtocolEnvironment(options.TimeProvider, _random);
        Relay = account.RelayUrl is { } url
            ? new RelayApi(new Uri(url), options, account.Password is { } password ? Contracts.Accounts.BasicCredentials.HeaderValue(account.Username, account.DeviceId, password) : null)
            : null;
    }

    public ProfileDatabase Database { get; }

    public IdentityKeyPair Identity { get; }

    public AccountEntry Account { get; }

    public ParleyClientOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    public ProtocolEnvironment Protocol { get; }

    public RelayApi? Relay { get; }

    public EventHub Events { get; } = new();

    public ProtocolAddress LocalAddress => new(Account.Username, Account.DeviceId);

    public DateTimeOffset Now => Time.GetUtcNow();

    public RelayApi RequireRelay() =>
        Relay ?? throw new ParleyException(ParleyErrorCode.NotRegistered, "This profile has no relay (it was created for direct peer mode).");

    /// <summary>Runs protocol work in one write transaction over the SQLite protocol stores.</summary>
    public Task<T> ProtocolAsync<T>(Func<SqliteProtocolStore, ValueTask<T>> work, CancellationToken cancellationToken) =>
        Database.WriteAsync(tx => work(new SqliteProtocolStore(tx, Identity, Account.RegistrationId, Time)), cancellationToken);

    /// <summary>The <see cref="IdentityChanged"/> event for a note, with the contact's new safety number.</summary>
    public IdentityChanged IdentityEvent(StoreTransaction transaction, IdentityNote note)
    {
        var key = ContactRows.CurrentKey(transaction, note.Contact) ?? throw new StoreIntegrityException("A changed contact has no identity key.");
        return new IdentityChanged(note.Contact, note.WasVerified, note.SendingBlocked, SafetyNumberWith(note.Contact, key)) { At = Now };
    }

    public SafetyNumber SafetyNumberWith(string name, byte[] theirKey) =>
        SafetyNumber.Compute(Account.Username, Identity.IdentityKey.Serialize(), name, theirKey);

    public void Dispose()
    {
        Relay?.Dispose();
        _random.Dispose();
    }
}

using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Parley.Client.Content;
using Parley.Client.Keys;
using Parley.Client.Messaging;
using Parley.Client.Relay;
using Parley.Client.Storage;
using Parley.Contracts;
using Parley.Contracts.Accounts;
using Parley.Protocol.Keys;

namespace Parley.Client;

/// <summary>
/// The Parley client SDK: one object per open profile. Create a profile (identity, prekeys, registration)
/// with <see cref="CreateProfileAsync"/> or open one with <see cref="OpenAsync"/>; send with
/// <see cref="SendTextAsync"/> (through a crash-safe outbox); receive with <see cref="ReceiveAsync"/> (a live,
/// reconnecting stream) or <see cref="FetchPendingAsync"/> (one batch); manage contacts and safety numbers
/// through <see cref="Contacts"/>. Thread-safe; dispose when done.
/// </summary>
public sealed class ParleyClient : IAsyncDisposable
{
    /// <summary>Largest message text in UTF-8 bytes (64 KiB).</summary>
    public const int MaxTextBytes = ContentCodec.MaxTextBytes;

    private readonly ClientContext _context;
    private readonly Sender _sender;
    private readonly Receiver _receiver;
    private readonly PeerMode _peer;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _backgroundGate = new();
    private Task _maintenance = Task.CompletedTask;
    private int _receiving;
    private int _disposed;

    private ParleyClient(ClientContext context)
    {
        _context = context;
        _sender = new Sender(context);
        _receiver = new Receiver(context)
        {
            ResetRequested = (peer, timestamp, ct) => _sender.SendSessionResetAsync(peer, timestamp, ct),
            ResendQueued = () => RunInBackground(ct => _sender.FlushAsync(ct)),
        };
        _peer = new PeerMode(context, _receiver);
        Contacts = new ContactBook(context);
    }

    /// <summary>Our username.</summary>
    public string Username => _context.Account.Username;

    /// <summary>Our device id (1 for the first device).</summary>
    public int DeviceId => _context.Account.DeviceId;

    /// <summary>The relay this profile is registered with, or null for a peer-only profile.</summary>
    public Uri? RelayUrl => _context.Relay?.BaseUrl;

    /// <summary>The profile folder.</summary>
    public string ProfileDirectory => _context.Database.Directory;

    /// <summary>Contacts, identity keys, safety numbers and verification.</summary>
    public ContactBook Contacts { get; }

    /// <summary>True when <paramref name="directory"/> holds a Parley profile.</summary>
    public static bool ProfileExists(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return ProfileDatabase.Exists(directory);
    }

    /// <summary>
    /// Creates a profile in <see cref="ProfileOptions.Directory"/>: a new identity, signed and last-resort
    /// prekeys and (with a relay) 100 one-time prekeys of each kind; registers the username and uploads the
    /// public keys. On any failure nothing is left behind, so the call can simply be repeated.
    /// </summary>
    /// <exception cref="ParleyException">
    /// <see cref="ParleyErrorCode.ProfileExists"/>, <see cref="ParleyErrorCode.InvalidUsername"/>,
    /// <see cref="ParleyErrorCode.UsernameTaken"/>, <see cref="ParleyErrorCode.RelayUnreachable"/>, …
    /// </exception>
    public static async Task<ParleyClient> CreateProfileAsync(ProfileOptions profile, ParleyClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.Directory);
        ArgumentException.ThrowIfNullOrEmpty(profile.Passphrase);
        options ??= new ParleyClientOptions();
        var username = Usernames.Require(profile.Username);
        if (ProfileDatabase.Exists(profile.Directory))
        {
            throw new ParleyException(ParleyErrorCode.ProfileExists, $"A profile already exists in {profile.Directory}.");
        }

        var database = ProfileDatabase.Create(profile.Directory, profile.Passphrase, profile.PassphraseCost);
        ClientContext? context = null;
        try
        {
            var identity = IdentityKeyPair.Generate();
            var registrationId = (uint)RandomNumberGenerator.GetInt32(DeviceLimits.MinRegistrationId, DeviceLimits.MaxRegistrationId + 1);
            var now = options.TimeProvider.GetUtcNow();
            var relayUrl = profile.RelayUrl?.ToString();
            var account = new AccountEntry(username, 1, registrationId, relayUrl, null, now.ToUnixTimeMilliseconds());
            var keys = await database.WriteAsync(tx =>
            {
                var store = new SqliteProtocolStore(tx, identity, registrationId, options.TimeProvider);
                SettingsRows.PutIdentity(tx, identity.Serialize());
                SettingsRows.PutAccount(tx, account);
                var oneTime = profile.RelayUrl is null ? 0 : Math.Min(options.MinOneTimePreKeys, KeyUpkeep.MaxPerUpload);
                return ValueTask.FromResult(KeyUpkeep.CreateInitialKeys(store, identity, now, oneTime));
            }, cancellationToken).ConfigureAwait(false);

            if (profile.RelayUrl is { } url)
            {
                using var anonymous = new RelayApi(url, options, null);
                RegisterAccountResponse registered;
                try
                {
                    registered = await anonymous.RegisterAsync(
                        new RegisterAccountRequest(
                            username, (int)registrationId, identity.IdentityKey.Serialize(), keys.SignedPreKey!, keys.LastResortKyberPreKey!,
                            keys.OneTimePreKeys, keys.OneTimeKyberPreKeys),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (RelayProblemException e)
                {
                    throw RelayErrors.ToParley(e, username);
                }

                account = account with { Username = registered.Username, DeviceId = registered.DeviceId, Password = registered.Password };
                await database.WriteAsync(tx =>
                {
                    SettingsRows.PutAccount(tx, account);
                    return ValueTask.FromResult(true);
                }, cancellationToken).ConfigureAwait(false);
            }

            database.Complete();
            context = new ClientContext(database, identity, account, options);
            var client = new ParleyClient(context);
            if (context.Relay is not null)
            {
                // Tops up beyond the registration batch when MinOneTimePreKeys asks for more than one upload.
                await client.MaintainAsync(flush: false, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            context?.Dispose();
            await database.DisposeAsync().ConfigureAwait(false);
            if (!ProfileDatabase.Exists(profile.Directory))
            {
                ProfileDatabase.DeleteFiles(profile.Directory);
            }

            throw;
        }
    }

    /// <summary>
    /// Opens a profile, verifying the passphrase and the whole store first. With a relay, key upkeep and an
    /// outbox flush start in the background.
    /// </summary>
    /// <exception cref="ParleyException">
    /// <see cref="ParleyErrorCode.ProfileNotFound"/>, <see cref="ParleyErrorCode.WrongPassphrase"/>,
    /// <see cref="ParleyErrorCode.StoreTampered"/>, <see cref="ParleyErrorCode.UnsupportedProfileVersion"/>.
    /// </exception>
    public static async Task<ParleyClient> OpenAsync(string directory, string passphrase, ParleyClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(passphrase);
        options ??= new ParleyClientOptions();
        var database = await Task.Run(() => ProfileDatabase.Open(directory, passphrase), cancellationToken).ConfigureAwait(false);
        try
        {
            var (identity, account) = await database.ReadAsync(tx =>
            {
                var identityBytes = SettingsRows.GetIdentity(tx) ?? throw new StoreIntegrityException("The profile has no identity.");
                var accountEntry = SettingsRows.GetAccount(tx) ?? throw new StoreIntegrityException("The profile has no account.");
                return ValueTask.FromResult((IdentityKeyPair.Deserialize(identityBytes), accountEntry));
            }, cancellationToken).ConfigureAwait(false);
            var client = new ParleyClient(new ClientContext(database, identity, account, options));
            if (client._context.Relay is not null && options.BackgroundMaintenance)
            {
                client.RunInBackground(ct => client.MaintainAsync(flush: true, ct));
            }

            return client;
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Our public identity (never a secret).</summary>
    public OwnIdentity GetOwnIdentity() =>
        new(Username, DeviceId, _context.Account.RegistrationId, _context.Identity.IdentityKey.Serialize(), RelayUrl);

    /// <summary>
    /// Sends <paramref name="text"/> to every device of <paramref name="username"/>. The message is in the outbox
    /// before anything goes on the wire; when the relay cannot be reached the result is
    /// <see cref="DeliveryState.Queued"/> and the outbox sends it later (same message id, delivered once).
    /// </summary>
    /// <exception cref="ParleyException">
    /// <see cref="ParleyErrorCode.NoSuchUser"/>, <see cref="ParleyErrorCode.IdentityChanged"/> (a verified contact's key
    /// changed), <see cref="ParleyErrorCode.MessageTooLarge"/>, <see cref="ParleyErrorCode.InvalidUsername"/>, …
    /// </exception>
    public Task<SendResult> SendTextAsync(string username, string text, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _sender.SendTextAsync(username, text, cancellationToken);
    }

    /// <summary>Sends every queued message, oldest first; stops at the first transient failure.</summary>
    public Task<OutboxFlushResult> FlushOutboxAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _sender.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Receives live until cancelled: connects the relay's stream, reconnects with exponential backoff and
    /// jitter, runs key upkeep and an outbox flush on every connect. Each envelope is decrypted and stored in one
    /// transaction before it is acknowledged; each message is reported exactly once (a message stored but not
    /// yet reported when the process died is reported on the next receive). One receive at a time per client.
    /// </summary>
    /// <exception cref="ParleyException"><see cref="ParleyErrorCode.Unauthorized"/> ends the stream; <see cref="ParleyErrorCode.AlreadyReceiving"/>.</exception>
    public async IAsyncEnumerable<ClientEvent> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        _context.RequireRelay();
        EnterReceiving();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var subscription = _context.Events.Subscribe();
        var live = new LiveReceiver(_context, _receiver, subscription, () => RunInBackground(ct => MaintainAsync(flush: true, ct)));
        var periodicUpkeep = PeriodicUpkeepAsync(stop.Token);
        IncomingMessage? unmarked = null;
        try
        {
            var backlog = new Queue<IncomingMessage>(await _receiver.UnreportedAsync(stop.Token).ConfigureAwait(false));
            while (true)
            {
                ClientEvent next;
                if (backlog.TryDequeue(out var stored))
                {
                    next = stored;
                }
                else
                {
                    try
                    {
                        next = await live.NextAsync(stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        break;
                    }
                }

                unmarked = next as IncomingMessage;
                yield return next;

                // The consumer asks for more: it has taken the message. Only now is the next envelope read.
                if (unmarked is not null)
                {
                    await _receiver.MarkReportedAsync([unmarked], CancellationToken.None).ConfigureAwait(false);
                    unmarked = null;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await live.DisposeAsync().ConfigureAwait(false);
            await Quietly(periodicUpkeep).ConfigureAwait(false);
            subscription.Dispose();
            if (unmarked is not null)
            {
                // The consumer took the last message and stopped: it was handed over.
                await Quietly(_receiver.MarkReportedAsync([unmarked], CancellationToken.None)).ConfigureAwait(false);
            }

            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <summary>
    /// Fetches, decrypts, stores and acknowledges every pending envelope, and returns what happened (messages,
    /// identity changes, undecryptable envelopes), oldest first. When nothing is pending, waits up to
    /// <paramref name="wait"/> for a message to arrive. Returned messages count as reported.
    /// </summary>
    public async Task<IReadOnlyList<ClientEvent>> FetchPendingAsync(TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var relay = _context.RequireRelay();
        EnterReceiving();
        try
        {
            var events = new List<ClientEvent>(await _receiver.UnreportedAsync(cancellationToken).ConfigureAwait(false));
            await new MailboxDrain(_context, _receiver).DrainOverHttpAsync(relay, events, cancellationToken).ConfigureAwait(false);
            if (wait > TimeSpan.Zero && !events.OfType<IncomingMessage>().Any())
            {
                await new MailboxDrain(_context, _receiver).WaitForMessagesAsync(wait, events, cancellationToken).ConfigureAwait(false);
            }

            await _receiver.MarkReportedAsync(events.OfType<IncomingMessage>(), CancellationToken.None).ConfigureAwait(false);
            await MaintainAsync(flush: true, cancellationToken).ConfigureAwait(false);
            return events;
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    /// <summary>The last <paramref name="limit"/> messages exchanged with <paramref name="username"/>, oldest first.</summary>
    public Task<IReadOnlyList<ConversationMessage>> GetConversationAsync(string username, int limit = 50, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var name = Usernames.Require(username);
        return _context.Database.ReadAsync(tx =>
        {
            var rows = tx.Query(StoreSchema.Messages, "peer = $peer ORDER BY seq DESC LIMIT $limit", ("$peer", name), ("$limit", (long)limit));
            var messages = rows.AsEnumerable().Reverse().Select(row =>
            {
                var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.MessageEntry);
                var direction = (MessageDirection)(long)row.Values[2];
                return new ConversationMessage(
                    (long)row.Values[0],
                    new Guid((byte[])row.Values[3]),
                    name,
                    direction,
                    entry.Text,
                    DateTimeOffset.FromUnixTimeMilliseconds(entry.SentAtMs),
                    entry.ReceivedAtMs is { } received ? DateTimeOffset.FromUnixTimeMilliseconds(received) : null,
                    direction == MessageDirection.Outgoing ? entry.Delivery : null);
            }).ToList();
            return ValueTask.FromResult<IReadOnlyList<ConversationMessage>>(messages);
        }, cancellationToken);
    }

    /// <summary>
    /// Keeps at least <see cref="ParleyClientOptions.MinOneTimePreKeys"/> one-time EC and Kyber prekeys on the
    /// relay, rotates the signed and last-resort prekeys when due and deletes replaced ones after their grace
    /// period. Runs automatically on open and on every connect.
    /// </summary>
    public Task<KeyUpkeepResult> RunKeyUpkeepAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return WithRelayErrorsAsync(() => KeyUpkeep.RunAsync(_context, cancellationToken));
    }

    /// <summary>Changes the profile passphrase (re-wraps the data key; nothing else is re-encrypted).</summary>
    public Task ChangePassphraseAsync(string currentPassphrase, string newPassphrase, Crypto.Passwords.Argon2idCost? cost = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(currentPassphrase);
        ArgumentException.ThrowIfNullOrEmpty(newPassphrase);
        return _context.Database.ChangePassphraseAsync(currentPassphrase, newPassphrase, cost ?? Crypto.Passwords.Argon2idCost.Interactive, cancellationToken);
    }

    /// <summary>Deletes our account on the relay (keys and mailbox). The local profile stays readable.</summary>
    public Task DeleteAccountAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var relay = _context.RequireRelay();
        return WithRelayErrorsAsync(async () =>
        {
            await relay.DeleteAccountAsync(cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <summary>Direct peer mode: our bundle with a fresh one-time EC and Kyber prekey (kept locally, not uploaded).</summary>
    public Task<PeerBundle> CreatePeerBundleAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _peer.CreateBundleAsync(cancellationToken);
    }

    /// <summary>
    /// Direct peer mode: starts a session with the peer's bundle, under the same identity rules as the relay
    /// (a changed key of a verified contact is refused with <see cref="ParleyErrorCode.IdentityChanged"/>).
    /// </summary>
    public Task<PeerSession> AcceptPeerBundleAsync(string name, PeerBundle bundle, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _peer.AcceptBundleAsync(name, bundle, cancellationToken);
    }

    /// <summary>Direct peer mode: encrypts a text for the peer and stores it in the history.</summary>
    public Task<PeerCiphertext> EncryptForPeerAsync(string name, string text, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _peer.EncryptAsync(name, text, cancellationToken);
    }

    /// <summary>
    /// Direct peer mode: decrypts and stores a message from the peer; returns its events (empty for a duplicate).
    /// Returned messages count as reported.
    /// </summary>
    public Task<IReadOnlyList<ClientEvent>> DecryptFromPeerAsync(string name, int type, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _peer.DecryptAsync(name, type, body, cancellationToken);
    }

    /// <summary>Stops background work, folds the WAL into the database and closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        Task background;
        lock (_backgroundGate)
        {
            background = _maintenance;
        }

        await Quietly(background).ConfigureAwait(false);
        _sender.Dispose();
        _context.Dispose();
        await _context.Database.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    internal ClientContext Context => _context;

    /// <summary>Queues key upkeep every <see cref="ParleyClientOptions.KeyUpkeepInterval"/> until <paramref name="stop"/>.</summary>
    private async Task PeriodicUpkeepAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_context.Options.KeyUpkeepInterval, _context.Time);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            RunInBackground(ct => MaintainAsync(flush: false, ct));
        }
    }

    /// <summary>Upkeep and (optionally) an outbox flush; transient relay trouble is ignored (the next connect retries).</summary>
    private async Task MaintainAsync(bool flush, CancellationToken cancellationToken)
    {
        try
        {
            await KeyUpkeep.RunAsync(_context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ParleyException { IsTransient: true } or RelayProblemException or OperationCanceledException)
        {
            // Retried on the next connect.
        }

        if (flush)
        {
            try
            {
                await _sender.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ParleyException { IsTransient: true } or OperationCanceledException)
            {
                // Retried on the next connect.
            }
        }
    }

    private static async Task<T> WithRelayErrorsAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (RelayProblemException e)
        {
            throw RelayErrors.ToParley(e);
        }
    }

    /// <summary>Starts background work that ends with the client; transient relay trouble is ignored.</summary>
    private void RunInBackground(Func<CancellationToken, Task> work)
    {
        lock (_backgroundGate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var previous = _maintenance;
            _maintenance = Task.Run(async () =>
            {
                await Quietly(previous).ConfigureAwait(false);
                try
                {
                    await work(_lifetime.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ParleyException { IsTransient: true } or OperationCanceledException)
                {
                    // Retried on the next connect.
                }
            }, CancellationToken.None);
        }
    }

    private void EnterReceiving()
    {
        if (Interlocked.Exchange(ref _receiving, 1) != 0)
        {
            throw new ParleyException(ParleyErrorCode.AlreadyReceiving, "This client is already receiving; run one receive at a time.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ParleyException or System.Net.WebSockets.WebSocketException or IOException or ObjectDisposedException)
        {
            // Background work ending with the client.
        }
    }
}

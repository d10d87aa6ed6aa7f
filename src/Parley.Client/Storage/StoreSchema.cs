namespace Parley.Client.Storage;

/// <summary>
/// The profile database layout, version 1. <c>meta</c> holds the few clear values needed before the data key
/// is known (format, profile id, KDF parameters, salt, wrapped key) plus the sealed row-set digest; every
/// other table is a <see cref="SealedTable"/>.
/// </summary>
internal static class StoreSchema
{
    public const int FormatVersion = 1;

    public const string MetaCreateSql = "CREATE TABLE meta (name TEXT NOT NULL PRIMARY KEY, value BLOB NOT NULL) STRICT";

    private static readonly ClearColumn Name = new("name", ColumnType.Text);
    private static readonly ClearColumn Device = new("device", ColumnType.Integer);
    private static readonly ClearColumn Id = new("id", ColumnType.Integer);

    /// <summary>Profile settings by name: identity key pair, account, key counters.</summary>
    public static readonly SealedTable Settings = new("settings", 1, Name);

    /// <summary>Peer identity keys per (username, device).</summary>
    public static readonly SealedTable Identities = new("identities", 2, Name, Device);

    /// <summary>Contacts by username: verification state and history.</summary>
    public static readonly SealedTable Contacts = new("contacts", 1, Name);

    /// <summary>Session records per (username, device).</summary>
    public static readonly SealedTable Sessions = new("sessions", 2, Name, Device);

    /// <summary>One-time EC prekeys by id.</summary>
    public static readonly SealedTable PreKeys = new("prekeys", 1, Id);

    /// <summary>Signed EC prekeys by id (current and recently replaced).</summary>
    public static readonly SealedTable SignedPreKeys = new("signed_prekeys", 1, Id);

    /// <summary>Kyber prekeys by id (one-time, current and recently replaced last-resort).</summary>
    public static readonly SealedTable KyberPreKeys = new("kyber_prekeys", 1, Id);

    /// <summary>(Kyber id, signed id, base key) combinations already used with a last-resort Kyber prekey.</summary>
    public static readonly SealedTable KyberUsed = new(
        "kyber_used", 3, new ClearColumn("kyber_id", ColumnType.Integer), new ClearColumn("signed_id", ColumnType.Integer), new ClearColumn("base_key", ColumnType.Blob));

    /// <summary>Sender-key records per (username, device, distribution id).</summary>
    public static readonly SealedTable SenderKeys = new("sender_keys", 3, Name, Device, new ClearColumn("distribution", ColumnType.Text));

    /// <summary>Envelope ids already processed (the receive-side deduplication).</summary>
    public static readonly SealedTable Received = new("received", 1, new ClearColumn("envelope_id", ColumnType.Blob));

    /// <summary>Conversation history.</summary>
    public static readonly SealedTable Messages = new(
        "messages", 1, new ClearColumn("seq", ColumnType.Integer), new ClearColumn("peer", ColumnType.Text),
        new ClearColumn("direction", ColumnType.Integer), new ClearColumn("message_id", ColumnType.Blob));

    /// <summary>Incoming messages stored but not yet handed to the application (re-reported after a crash).</summary>
    public static readonly SealedTable Unreported = new("unreported", 1, new ClearColumn("seq", ColumnType.Integer));

    /// <summary>Outgoing messages not yet accepted by the relay.</summary>
    public static readonly SealedTable Outbox = new(
        "outbox", 1, new ClearColumn("seq", ColumnType.Integer), new ClearColumn("peer", ColumnType.Text), new ClearColumn("message_id", ColumnType.Blob));

    public static IReadOnlyList<SealedTable> Tables { get; } =
        [Settings, Identities, Contacts, Sessions, PreKeys, SignedPreKeys, KyberPreKeys, KyberUsed, SenderKeys, Received, Messages, Unreported, Outbox];

    /// <summary>Indexes besides the primary keys.</summary>
    public static IReadOnlyList<string> IndexSql { get; } =
    [
        "CREATE UNIQUE INDEX messages_by_id ON messages (peer, direction, message_id)",
        "CREATE UNIQUE INDEX outbox_by_id ON outbox (message_id)",
    ];

    /// <summary>Every statement that creates the schema, in order.</summary>
    public static IEnumerable<string> CreateStatements =>
        new[] { MetaCreateSql }.Concat(Tables.Select(t => t.CreateSql)).Concat(IndexSql);
}

namespace Parley.Server.Storage.Sqlite;

/// <summary>
/// Schema versions, applied in order at start, each in its own transaction and recorded in
/// <c>schema_migrations</c>. Never edit a shipped migration; add the next one.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>(version, SQL) in ascending order.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE accounts (
                id          INTEGER PRIMARY KEY,
                username    TEXT    NOT NULL UNIQUE,
                created_at  INTEGER NOT NULL
            );
            CREATE TABLE devices (
                account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                device_id        INTEGER NOT NULL CHECK (device_id BETWEEN 1 AND 127),
                credential_hash  BLOB    NOT NULL CHECK (length(credential_hash) = 32),
                registration_id  INTEGER NOT NULL,
                identity_key     BLOB    NOT NULL,
                created_at       INTEGER NOT NULL,
                mailbox_count    INTEGER NOT NULL DEFAULT 0,
                mailbox_bytes    INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (account_id, device_id)
            );
            CREATE TABLE signed_prekeys (
                account_id  INTEGER NOT NULL,
                device_id   INTEGER NOT NULL,
                key_id      INTEGER NOT NULL,
                public_key  BLOB    NOT NULL,
                signature   BLOB    NOT NULL,
                PRIMARY KEY (account_id, device_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
            );
            CREATE TABLE last_resort_kyber_prekeys (
                account_id  INTEGER NOT NULL,
                device_id   INTEGER NOT NULL,
                key_id      INTEGER NOT NULL,
                public_key  BLOB    NOT NULL,
                signature   BLOB    NOT NULL,
                PRIMARY KEY (account_id, device_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
            );
            CREATE TABLE one_time_prekeys (
                account_id  INTEGER NOT NULL,
                device_id   INTEGER NOT NULL,
                key_id      INTEGER NOT NULL,
                public_key  BLOB    NOT NULL,
                PRIMARY KEY (account_id, device_id, key_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
            );
            CREATE TABLE one_time_kyber_prekeys (
                account_id  INTEGER NOT NULL,
                device_id   INTEGER NOT NULL,
                key_id      INTEGER NOT NULL,
                public_key  BLOB    NOT NULL,
                signature   BLOB    NOT NULL,
                PRIMARY KEY (account_id, device_id, key_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
            );
            CREATE TABLE envelopes (
                position          INTEGER PRIMARY KEY AUTOINCREMENT,
                id                BLOB    NOT NULL UNIQUE,
                account_id        INTEGER NOT NULL,
                device_id         INTEGER NOT NULL,
                type              INTEGER NOT NULL,
                source_username   TEXT    NOT NULL,
                source_device_id  INTEGER NOT NULL,
                client_timestamp  INTEGER NOT NULL,
                server_timestamp  INTEGER NOT NULL,
                expires_at        INTEGER NOT NULL,
                content           BLOB    NOT NULL,
                FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
            );
            CREATE INDEX envelopes_by_device ON envelopes (account_id, device_id, position);
            CREATE INDEX envelopes_by_expiry ON envelopes (expires_at);
            -- Idempotency: one row per stored envelope, kept after acknowledgement until the envelope would
            -- have expired, so that a late retry is still answered with the first envelope id.
            CREATE TABLE send_receipts (
                sender_account_id     INTEGER NOT NULL,
                sender_device_id      INTEGER NOT NULL,
                message_id            BLOB    NOT NULL,
                recipient_account_id  INTEGER NOT NULL,
                recipient_device_id   INTEGER NOT NULL,
                envelope_id           BLOB    NOT NULL,
                expires_at            INTEGER NOT NULL,
                PRIMARY KEY (sender_account_id, sender_device_id, message_id, recipient_account_id, recipient_device_id)
            );
            CREATE INDEX send_receipts_by_expiry ON send_receipts (expires_at);
            """),
    ];
}

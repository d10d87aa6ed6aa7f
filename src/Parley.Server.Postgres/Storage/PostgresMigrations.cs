namespace Parley.Server.Postgres.Storage;

/// <summary>
/// Schema versions, applied in order at start, each in its own transaction under an advisory lock (nodes that
/// start together apply each version once) and recorded in <c>schema_migrations</c>. Never edit a shipped
/// migration; add the next one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>(version, SQL) in ascending order.</summary>
    public static readonly IReadOnlyList<(int Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE accounts (
                id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                username    text   NOT NULL UNIQUE,
                created_at  bigint NOT NULL
            );
            -- mailbox_count / mailbox_bytes: the quota check reads them under the row lock a send takes anyway.
            -- last_position: the device's envelope positions are handed out under that same lock, so they
            -- increase in commit order; a stream's cursor never skips an envelope committed after it read.
            CREATE TABLE devices (
                account_id       bigint  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                device_id        integer NOT NULL CHECK (device_id BETWEEN 1 AND 127),
                credential_hash  bytea   NOT NULL CHECK (octet_length(credential_hash) = 32),
                registration_id  integer NOT NULL,
                identity_key     bytea   NOT NULL,
                created_at       bigint  NOT NULL,
                mailbox_count    bigint  NOT NULL DEFAULT 0,
                mailbox_bytes    bigint  NOT NULL DEFAULT 0,
                last_position    bigint  NOT NULL DEFAULT 0,
                PRIMARY KEY (account_id, device_id)
            );
            CREATE TABLE signed_prekeys (
                account_id  bigint  NOT NULL,
                device_id   integer NOT NULL,
                key_id      bigint  NOT NULL,
                public_key  bytea   NOT NULL,
                signature   bytea   NOT NULL,
                PRIMARY KEY (account_id, device_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
            );
            CREATE TABLE last_resort_kyber_prekeys (
                account_id  bigint  NOT NULL,
                device_id   integer NOT NULL,
                key_id      bigint  NOT NULL,
                public_key  bytea   NOT NULL,
                signature   bytea   NOT NULL,
                PRIMARY KEY (account_id, device_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
            );
            -- seq: hand one-time keys out oldest first.
            CREATE TABLE one_time_prekeys (
                seq         bigint  GENERATED ALWAYS AS IDENTITY,
                account_id  bigint  NOT NULL,
                device_id   integer NOT NULL,
                key_id      bigint  NOT NULL,
                public_key  bytea   NOT NULL,
                PRIMARY KEY (account_id, device_id, key_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
            );
            CREATE INDEX one_time_prekeys_in_order ON one_time_prekeys (account_id, device_id, seq);
            CREATE TABLE one_time_kyber_prekeys (
                seq         bigint  GENERATED ALWAYS AS IDENTITY,
                account_id  bigint  NOT NULL,
                device_id   integer NOT NULL,
                key_id      bigint  NOT NULL,
                public_key  bytea   NOT NULL,
                signature   bytea   NOT NULL,
                PRIMARY KEY (account_id, device_id, key_id),
                FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
            );
            CREATE INDEX one_time_kyber_prekeys_in_order ON one_time_kyber_prekeys (account_id, device_id, seq);
            CREATE TABLE envelopes (
                account_id        bigint   NOT NULL,
                device_id         integer  NOT NULL,
                position          bigint   NOT NULL,
                id                uuid     NOT NULL UNIQUE,
                type              smallint NOT NULL,
                source_username   text     NOT NULL,
                source_device_id  integer  NOT NULL,
                client_timestamp  bigint   NOT NULL,
                server_timestamp  bigint   NOT NULL,
                expires_at        bigint   NOT NULL,
                content           bytea    NOT NULL,
                PRIMARY KEY (account_id, device_id, position),
                FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id) ON DELETE CASCADE
            );
            -- Ciphertext does not compress: store it out of line without trying.
            ALTER TABLE envelopes ALTER COLUMN content SET STORAGE EXTERNAL;
            CREATE INDEX envelopes_by_expiry ON envelopes (expires_at);
            -- Idempotency: one row per stored envelope, kept after acknowledgement until the envelope would
            -- have expired, so that a late retry is still answered with the first envelope id.
            CREATE TABLE send_receipts (
                sender_account_id     bigint  NOT NULL,
                sender_device_id      integer NOT NULL,
                message_id            uuid    NOT NULL,
                recipient_account_id  bigint  NOT NULL,
                recipient_device_id   integer NOT NULL,
                envelope_id           uuid    NOT NULL,
                expires_at            bigint  NOT NULL,
                PRIMARY KEY (sender_account_id, sender_device_id, message_id, recipient_account_id, recipient_device_id)
            );
            CREATE INDEX send_receipts_by_expiry ON send_receipts (expires_at);
            CREATE INDEX send_receipts_by_recipient ON send_receipts (recipient_account_id);
            """),
    ];
}

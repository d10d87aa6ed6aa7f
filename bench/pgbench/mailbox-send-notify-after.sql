-- mailbox-send.sql with its NOTIFY moved out of the transaction: the send commits (synchronous_commit = on)
-- without the notify lock, then a separate small transaction notifies without waiting for a flush. What a
-- node would do to trade "wake-up exactly when committed" for commit throughput (docs/operations.md).
\set a random(1, 1000)
BEGIN;
SELECT device_id, mailbox_count, mailbox_bytes FROM devices WHERE account_id = :a ORDER BY device_id FOR UPDATE;
SELECT recipient_device_id, envelope_id FROM send_receipts WHERE sender_account_id = 1 AND sender_device_id = 1 AND message_id = gen_random_uuid() AND recipient_account_id = :a;
WITH next AS (UPDATE devices SET last_position = last_position + 1, mailbox_count = mailbox_count + 1, mailbox_bytes = mailbox_bytes + 256
              WHERE account_id = :a AND device_id = 1 RETURNING account_id, last_position)
INSERT INTO envelopes (account_id, device_id, position, id, type, source_username, source_device_id, client_timestamp, server_timestamp, expires_at, content)
SELECT account_id, 1, last_position, gen_random_uuid(), 2, 'bench', 1, 0, 0, 9999999999999, decode(repeat('ab', 256), 'hex') FROM next;
INSERT INTO send_receipts (sender_account_id, sender_device_id, message_id, recipient_account_id, recipient_device_id, envelope_id, expires_at)
VALUES (1, 1, gen_random_uuid(), :a, 1, gen_random_uuid(), 9999999999999);
COMMIT;
BEGIN;
SET LOCAL synchronous_commit = off;
SELECT pg_notify('parley_wake', :a || '.1');
COMMIT;

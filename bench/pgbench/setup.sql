-- Accounts 1..1000 with one device each for the pgbench baseline, on a fresh database the relay has just
-- migrated (the relay's own schema, so the statements and indexes are the real ones).
INSERT INTO accounts (username, created_at) SELECT 'bench' || g, 0 FROM generate_series(1, 1000) g;
INSERT INTO devices (account_id, device_id, credential_hash, registration_id, identity_key, created_at)
SELECT id, 1, decode(repeat('ab', 32), 'hex'), 1, decode(repeat('05', 33), 'hex'), 0 FROM accounts;

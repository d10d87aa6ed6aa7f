using Parley.Client.Storage;
using Parley.Contracts.Keys;
using Parley.Protocol.Keys;
using Parley.Protocol.Records;

namespace Parley.Client.Keys;

/// <summary>
/// Prekey creation and upkeep. Keys are always stored locally (committed) before their public halves are
/// uploaded, so the relay never hands out a key we cannot use. Replaced signed and last-resort keys stay for
/// a grace period so PreKey messages already in flight still decrypt.
/// </summary>
internal static class KeyUpkeep
{
    /// <summary>The relay's cap on one-time keys of each kind per upload.</summary>
    public const int MaxPerUpload = 100;

    /// <summary>Makes the first signed and last-resort keys and <paramref name="oneTimeCount"/> one-time keys of each kind.</summary>
    public static UploadKeysRequest CreateInitialKeys(SqliteProtocolStore store, IdentityKeyPair identity, DateTimeOffset now, int oneTimeCount)
    {
        var signedId = KeyIds.RandomStart();
        var kyberId = KeyIds.RandomStart();
        var signed = SignedPreKeyRecord.Generate(signedId, identity, now);
        store.PutSignedPreKey(signed);
        var lastResort = KyberPreKeyRecord.Generate(kyberId, identity, now);
        store.PutKyberPreKey(lastResort, lastResort: true);
        var counters = new KeyCountersEntry(KeyIds.RandomStart(), KeyIds.Next(kyberId), KeyIds.Next(signedId), signedId, kyberId, now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        var (preKeys, kyberKeys, next) = CreateOneTime(store, identity, now, counters, oneTimeCount, oneTimeCount);
        SettingsRows.PutCounters(store.Transaction, next);
        return new UploadKeysRequest(Signed(signed), Kyber(lastResort), preKeys, kyberKeys);
    }

    /// <summary>Counts on the relay, replenishes, rotates and prunes.</summary>
    public static async Task<KeyUpkeepResult> RunAsync(ClientContext context, CancellationToken cancellationToken)
    {
        var relay = context.RequireRelay();
        var options = context.Options;
        var count = await relay.CountAsync(cancellationToken).ConfigureAwait(false);
        var wantEc = Math.Max(0, options.MinOneTimePreKeys - count.OneTimePreKeys);
        var wantKyber = Math.Max(0, options.MinOneTimePreKeys - count.OneTimeKyberPreKeys);
        var now = context.Now;

        // Phase 1: make the keys and commit them locally.
        var plan = await context.ProtocolAsync(store =>
        {
            var counters = SettingsRows.GetCounters(store.Transaction);
            SignedPreKeyRecord? newSigned = null;
            KyberPreKeyRecord? newLastResort = null;
            if (now - DateTimeOffset.FromUnixTimeMilliseconds(counters.SignedRotatedAtMs) >= options.SignedPreKeyRotation)
            {
                newSigned = SignedPreKeyRecord.Generate(counters.NextSignedPreKeyId, context.Identity, now);
                store.PutSignedPreKey(newSigned);
                counters = counters with { NextSignedPreKeyId = KeyIds.Next(counters.NextSignedPreKeyId) };
            }

            if (now - DateTimeOffset.FromUnixTimeMilliseconds(counters.LastResortRotatedAtMs) >= options.SignedPreKeyRotation)
            {
                newLastResort = KyberPreKeyRecord.Generate(counters.NextKyberPreKeyId, context.Identity, now);
                store.PutKyberPreKey(newLastResort, lastResort: true);
                counters = counters with { NextKyberPreKeyId = KeyIds.Next(counters.NextKyberPreKeyId) };
            }

            var (preKeys, kyberKeys, next) = CreateOneTime(store, context.Identity, now, counters, wantEc, wantKyber);
            SettingsRows.PutCounters(store.Transaction, next);
            var removed = Prune(store.Transaction, next, now, options.OldPreKeyGracePeriod);
            PruneReceivedIds(store.Transaction, now);
            return ValueTask.FromResult((newSigned, newLastResort, preKeys, kyberKeys, removed));
        }, cancellationToken).ConfigureAwait(false);

        // Phase 2: upload in batches within the relay's limits.
        var uploadedEc = 0;
        var uploadedKyber = 0;
        var first = true;
        try
        {
            while (first || uploadedEc < plan.preKeys.Count || uploadedKyber < plan.kyberKeys.Count)
            {
                var ec = plan.preKeys.Skip(uploadedEc).Take(MaxPerUpload).ToList();
                var kyber = plan.kyberKeys.Skip(uploadedKyber).Take(MaxPerUpload).ToList();
                var request = new UploadKeysRequest(
                    first && plan.newSigned is not null ? Signed(plan.newSigned) : null,
                    first && plan.newLastResort is not null ? Kyber(plan.newLastResort) : null,
                    ec.Count > 0 ? ec : null,
                    kyber.Count > 0 ? kyber : null);
                first = false;
                if (request.SignedPreKey is null && request.LastResortKyberPreKey is null && ec.Count == 0 && kyber.Count == 0)
                {
                    break;
                }

                await relay.UploadKeysAsync(request, cancellationToken).ConfigureAwait(false);
                uploadedEc += ec.Count;
                uploadedKyber += kyber.Count;
            }
        }
        catch (Relay.RelayProblemException e) when (e.Code == Contracts.Errors.ErrorCodes.PreKeyLimit)
        {
            // The relay holds as many as it allows: nothing more to do.
        }
        catch (Exception) when (plan.newSigned is not null || plan.newLastResort is not null)
        {
            // The relay may or may not have taken the new keys: keep them for the grace period, stay on the old ones.
            await MarkUnconfirmedAsync(context, plan.newSigned, plan.newLastResort, now).ConfigureAwait(false);
            throw;
        }

        // Phase 3: the relay has the new keys; make them current and start the old ones' grace period.
        if (plan.newSigned is not null || plan.newLastResort is not null)
        {
            await context.ProtocolAsync(store =>
            {
                var tx = store.Transaction;
                var counters = SettingsRows.GetCounters(tx);
                if (plan.newSigned is not null)
                {
                    Replace(tx, StoreSchema.SignedPreKeys, counters.CurrentSignedPreKeyId, now);
                    counters = counters with { CurrentSignedPreKeyId = plan.newSigned.Id, SignedRotatedAtMs = now.ToUnixTimeMilliseconds() };
                }

                if (plan.newLastResort is not null)
                {
                    Replace(tx, StoreSchema.KyberPreKeys, counters.CurrentLastResortKyberPreKeyId, now);
                    counters = counters with { CurrentLastResortKyberPreKeyId = plan.newLastResort.Id, LastResortRotatedAtMs = now.ToUnixTimeMilliseconds() };
                }

                SettingsRows.PutCounters(tx, counters);
                return ValueTask.FromResult(true);
            }, CancellationToken.None).ConfigureAwait(false);
        }

        return new KeyUpkeepResult(
            count.OneTimePreKeys, count.OneTimeKyberPreKeys, uploadedEc, uploadedKyber, plan.newSigned is not null, plan.newLastResort is not null, plan.removed);
    }

    public static SignedPreKey Signed(SignedPreKeyRecord record) => new(record.Id, record.KeyPair.PublicKey.Serialize(), record.Signature.ToArray());

    public static SignedPreKey Kyber(KyberPreKeyRecord record) => new(record.Id, record.KeyPair.PublicKey.Serialize(), record.Signature.ToArray());

    private static (List<PreKey> PreKeys, List<SignedPreKey> KyberKeys, KeyCountersEntry Counters) CreateOneTime(
        SqliteProtocolStore store, IdentityKeyPair identity, DateTimeOffset now, KeyCountersEntry counters, int ecCount, int kyberCount)
    {
        var preKeys = new List<PreKey>(ecCount);
        var id = counters.NextPreKeyId;
        for (var i = 0; i < ecCount; i++)
        {
            var record = PreKeyRecord.Generate(id);
            store.PutPreKey(record);
            preKeys.Add(new PreKey(id, record.KeyPair.PublicKey.Serialize()));
            id = KeyIds.Next(id);
        }

        var kyberKeys = new List<SignedPreKey>(kyberCount);
        var kyberId = counters.NextKyberPreKeyId;
        for (var i = 0; i < kyberCount; i++)
        {
            var record = KyberPreKeyRecord.Generate(kyberId, identity, now);
            store.PutKyberPreKey(record, lastResort: false);
            kyberKeys.Add(Kyber(record));
            kyberId = KeyIds.Next(kyberId);
        }

        return (preKeys, kyberKeys, counters with { NextPreKeyId = id, NextKyberPreKeyId = kyberId });
    }

    private static Task<bool> MarkUnconfirmedAsync(ClientContext context, SignedPreKeyRecord? signed, KyberPreKeyRecord? lastResort, DateTimeOffset now) =>
        context.ProtocolAsync(store =>
        {
            if (signed is not null)
            {
                Replace(store.Transaction, StoreSchema.SignedPreKeys, signed.Id, now);
            }

            if (lastResort is not null)
            {
                Replace(store.Transaction, StoreSchema.KyberPreKeys, lastResort.Id, now);
            }

            return ValueTask.FromResult(true);
        }, CancellationToken.None);

    /// <summary>Starts the grace period of a signed or last-resort key.</summary>
    private static void Replace(StoreTransaction tx, SealedTable table, uint id, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        if (table == StoreSchema.SignedPreKeys)
        {
            if (tx.GetJson(table, StoreJson.Default.SignedPreKeyEntry, (long)id) is { } entry)
            {
                tx.PutJson(table, [(long)id], entry with { ReplacedAtMs = entry.ReplacedAtMs ?? at }, StoreJson.Default.SignedPreKeyEntry);
            }
        }
        else if (tx.GetJson(table, StoreJson.Default.KyberPreKeyEntry, (long)id) is { } entry)
        {
            tx.PutJson(table, [(long)id], entry with { ReplacedAtMs = entry.ReplacedAtMs ?? at }, StoreJson.Default.KyberPreKeyEntry);
        }
    }

    /// <summary>
    /// How long processed envelope ids are remembered: longer than any relay keeps an unacknowledged envelope
    /// (30 days by default), so a redelivery is always recognised.
    /// </summary>
    public static readonly TimeSpan ReceivedIdRetention = TimeSpan.FromDays(60);

    private static void PruneReceivedIds(StoreTransaction tx, DateTimeOffset now)
    {
        var cutoff = (now - ReceivedIdRetention).ToUnixTimeMilliseconds();
        foreach (var row in tx.Query(StoreSchema.Received, null))
        {
            if (StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.ReceivedEntry).ReceivedAtMs < cutoff)
            {
                tx.Delete(StoreSchema.Received, row.Values);
            }
        }
    }

    /// <summary>Deletes replaced signed and last-resort keys whose grace period ended (never the current ones).</summary>
    private static int Prune(StoreTransaction tx, KeyCountersEntry counters, DateTimeOffset now, TimeSpan grace)
    {
        var cutoff = (now - grace).ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var row in tx.Query(StoreSchema.SignedPreKeys, null))
        {
            var id = (long)row.Values[0];
            var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.SignedPreKeyEntry);
            if (id != counters.CurrentSignedPreKeyId && entry.ReplacedAtMs is { } at && at <= cutoff)
            {
                tx.Delete(StoreSchema.SignedPreKeys, id);
                removed++;
            }
        }

        foreach (var row in tx.Query(StoreSchema.KyberPreKeys, null))
        {
            var id = (long)row.Values[0];
            var entry = StoreTransactionJson.Parse(row.Plaintext, StoreJson.Default.KyberPreKeyEntry);
            if (entry.LastResort && id != counters.CurrentLastResortKyberPreKeyId && entry.ReplacedAtMs is { } at && at <= cutoff)
            {
                tx.Delete(StoreSchema.KyberPreKeys, id);
                foreach (var used in tx.Query(StoreSchema.KyberUsed, "kyber_id = $id", ("$id", id)))
                {
                    tx.Delete(StoreSchema.KyberUsed, used.Values);
                }

                removed++;
            }
        }

        return removed;
    }
}

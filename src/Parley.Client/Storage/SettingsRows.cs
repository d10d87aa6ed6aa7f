namespace Parley.Client.Storage;

/// <summary>The <c>settings</c> table: identity key pair, account and key counters.</summary>
internal static class SettingsRows
{
    private const string Identity = "identity";
    private const string Account = "account";
    private const string Counters = "counters";

    public static byte[]? GetIdentity(StoreTransaction transaction) => transaction.Get(StoreSchema.Settings, Identity);

    public static void PutIdentity(StoreTransaction transaction, byte[] serializedKeyPair) =>
        transaction.Put(StoreSchema.Settings, [Identity], serializedKeyPair);

    public static AccountEntry? GetAccount(StoreTransaction transaction) =>
        transaction.GetJson(StoreSchema.Settings, StoreJson.Default.AccountEntry, Account);

    public static void PutAccount(StoreTransaction transaction, AccountEntry entry) =>
        transaction.PutJson(StoreSchema.Settings, [Account], entry, StoreJson.Default.AccountEntry);

    public static KeyCountersEntry GetCounters(StoreTransaction transaction) =>
        transaction.GetJson(StoreSchema.Settings, StoreJson.Default.KeyCountersEntry, Counters)
        ?? throw new StoreIntegrityException("The profile's key counters are missing.");

    public static void PutCounters(StoreTransaction transaction, KeyCountersEntry entry) =>
        transaction.PutJson(StoreSchema.Settings, [Counters], entry, StoreJson.Default.KeyCountersEntry);
}

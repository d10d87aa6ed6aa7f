namespace Parley.Client.Storage;

/// <summary>The <c>contacts</c> table.</summary>
internal static class ContactRows
{
    public static ContactEntry? Get(StoreTransaction transaction, string name) =>
        transaction.GetJson(StoreSchema.Contacts, StoreJson.Default.ContactEntry, name);

    public static void Put(StoreTransaction transaction, string name, ContactEntry entry) =>
        transaction.PutJson(StoreSchema.Contacts, [name], entry, StoreJson.Default.ContactEntry);

    /// <summary>The identity key of the contact's lowest known device, or null.</summary>
    public static byte[]? CurrentKey(StoreTransaction transaction, string name) =>
        transaction.Query(StoreSchema.Identities, "name = $name ORDER BY device LIMIT 1", ("$name", name)).Select(r => r.Plaintext).FirstOrDefault();
}

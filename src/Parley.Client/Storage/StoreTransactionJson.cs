using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Parley.Client.Storage;

/// <summary>JSON-valued cells.</summary>
internal static class StoreTransactionJson
{
    public static T? GetJson<T>(this StoreTransaction transaction, SealedTable table, JsonTypeInfo<T> info, params object[] key)
        where T : class
    {
        var bytes = transaction.Get(table, key);
        return bytes is null ? null : Parse(bytes, info);
    }

    public static void PutJson<T>(this StoreTransaction transaction, SealedTable table, object[] values, T value, JsonTypeInfo<T> info) =>
        transaction.Put(table, values, JsonSerializer.SerializeToUtf8Bytes(value, info));

    /// <summary>Parses an authenticated cell; a cell that authenticates but does not parse is a bug or a foreign writer.</summary>
    public static T Parse<T>(byte[] bytes, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, info) ?? throw new StoreIntegrityException("A stored value is empty.");
        }
        catch (JsonException e)
        {
            throw new StoreIntegrityException("A stored value does not parse.", e);
        }
    }
}

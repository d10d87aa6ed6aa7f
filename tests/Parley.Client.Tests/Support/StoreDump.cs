using System.Security.Cryptography;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Support;

/// <summary>Digests of decrypted store contents, for "nothing changed" and "exactly the original state" checks.</summary>
internal static class StoreDump
{
    /// <summary>A digest of every session row (clear values and opened cells).</summary>
    public static Task<string> SessionsAsync(ClientContext context) =>
        context.Database.ReadAsync(tx => ValueTask.FromResult(Digest(tx, [StoreSchema.Sessions])), CancellationToken.None);

    /// <summary>A digest of every row of every table.</summary>
    public static Task<string> AllAsync(ClientContext context) =>
        context.Database.ReadAsync(tx => ValueTask.FromResult(Digest(tx, StoreSchema.Tables)), CancellationToken.None);

    public static string Digest(StoreTransaction tx, IEnumerable<SealedTable> tables)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes("[" + table.Name + "]"));
            foreach (var row in tx.Query(table, "1 = 1 ORDER BY " + string.Join(", ", table.Columns.Take(table.KeyCount).Select(c => c.Name))))
            {
                foreach (var value in row.Values)
                {
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes(value switch
                    {
                        byte[] blob => Convert.ToHexString(blob),
                        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                    } + "|"));
                }

                hash.AppendData(row.Plaintext);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

using Microsoft.Data.Sqlite;

namespace Parley.Client.Storage;

/// <summary>A decrypted row: its clear values and its opened cell.</summary>
internal readonly record struct StoredRow(object[] Values, byte[] Plaintext);

/// <summary>
/// One SQLite transaction over the sealed tables. Reads open cells (failing closed on any tag mismatch);
/// writes seal them and keep the row-set digest in step. Work that must happen only once the transaction
/// committed (events, acknowledgements) is queued with <see cref="AfterCommit"/>.
/// </summary>
internal sealed class StoreTransaction
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly CellCipher _cipher;
    private readonly byte[] _profileId;
    private readonly List<Action> _afterCommit = [];

    public StoreTransaction(SqliteConnection connection, SqliteTransaction transaction, CellCipher cipher, byte[] profileId, RowSetDigest digest, bool writable)
    {
        _connection = connection;
        _transaction = transaction;
        _cipher = cipher;
        _profileId = profileId;
        Digest = digest;
        Writable = writable;
    }

    public RowSetDigest Digest { get; }

    public bool Writable { get; }

    public bool Changed { get; private set; }

    public IReadOnlyList<Action> AfterCommitActions => _afterCommit;

    public bool RollbackRequested { get; private set; }

    /// <summary>Discards every change of this transaction when the work returns.</summary>
    public void RequestRollback()
    {
        RollbackRequested = true;
        _afterCommit.Clear();
    }

    /// <summary>Queues work to run after a successful commit (never on rollback).</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    /// <summary>The opened cell of the row with this key, or null.</summary>
    public byte[]? Get(SealedTable table, params object[] key) => Find(table, key)?.Plaintext;

    /// <summary>The row with this key, or null.</summary>
    public StoredRow? Find(SealedTable table, params object[] key)
    {
        using var command = Command($"SELECT {table.SelectList} FROM {table.Name} WHERE {table.KeyWhere}");
        BindKey(command, table, key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRow(table, reader) : null;
    }

    /// <summary>Rows matching <paramref name="where"/> (SQL over clear columns, may end with ORDER BY/LIMIT).</summary>
    public List<StoredRow> Query(SealedTable table, string? where, params (string Name, object Value)[] parameters)
    {
        using var command = Command($"SELECT {table.SelectList} FROM {table.Name}" + (where is null ? "" : " WHERE " + where));
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<StoredRow>();
        while (reader.Read())
        {
            rows.Add(ReadRow(table, reader));
        }

        return rows;
    }

    /// <summary>Inserts or replaces the row whose key is the first values.</summary>
    public void Put(SealedTable table, object[] values, ReadOnlySpan<byte> plaintext)
    {
        EnsureWritable();
        var key = values[..table.KeyCount];
        var old = FindRaw(table, key);
        if (old is { } existing)
        {
            Digest.Subtract(_cipher.RowDigest(table.AssociatedData(_profileId, existing.Values), existing.Cell));
        }

        var ad = table.AssociatedData(_profileId, values);
        var cell = _cipher.Seal(ad, plaintext);
        using var command = old is null
            ? Command($"INSERT INTO {table.Name} ({table.SelectList}) VALUES ({string.Join(", ", Enumerable.Range(0, values.Length).Select(i => "$v" + i))}, $cell)")
            : Command($"UPDATE {table.Name} SET {string.Join(", ", table.Columns.Select((c, i) => $"{c.Name} = $v{i}"))}, cell = $cell WHERE {table.KeyWhere}");
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$v" + i, values[i]);
        }

        command.Parameters.AddWithValue("$cell", cell);
        if (old is not null)
        {
            BindKey(command, table, key);
        }

        command.ExecuteNonQuery();
        Digest.Add(_cipher.RowDigest(ad, cell));
        Changed = true;
    }

    /// <summary>Deletes the row with this key; false when there was none.</summary>
    public bool Delete(SealedTable table, params object[] key)
    {
        EnsureWritable();
        var old = FindRaw(table, key);
        if (old is not { } existing)
        {
            return false;
        }

        // Authenticate before removing, so a forged row cannot be used to unbalance the digest.
        var ad = table.AssociatedData(_profileId, existing.Values);
        _cipher.Open(ad, existing.Cell);
        using var command = Command($"DELETE FROM {table.Name} WHERE {table.KeyWhere}");
        BindKey(command, table, key);
        command.ExecuteNonQuery();
        Digest.Subtract(_cipher.RowDigest(ad, existing.Cell));
        Changed = true;
        return true;
    }

    /// <summary>A scalar over clear columns (counts, max sequence numbers).</summary>
    public long Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = command.ExecuteScalar();
        return result is long number ? number : 0;
    }

    private (object[] Values, byte[] Cell)? FindRaw(SealedTable table, object[] key)
    {
        using var command = Command($"SELECT {table.SelectList} FROM {table.Name} WHERE {table.KeyWhere}");
        BindKey(command, table, key);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var values = new object[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(i);
        }

        return (values, CellAt(reader, values.Length));
    }

    private StoredRow ReadRow(SealedTable table, SqliteDataReader reader)
    {
        var values = new object[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.GetValue(i);
        }

        var cell = CellAt(reader, values.Length);
        return new StoredRow(values, _cipher.Open(table.AssociatedData(_profileId, values), cell));
    }

    private static byte[] CellAt(SqliteDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) as byte[] ?? throw new StoreIntegrityException("A stored value is missing.");

    private static void BindKey(SqliteCommand command, SealedTable table, object[] key)
    {
        if (key.Length != table.KeyCount)
        {
            throw new ArgumentException($"{table.Name} has a {table.KeyCount}-part key, got {key.Length}.", nameof(key));
        }

        for (var i = 0; i < key.Length; i++)
        {
            command.Parameters.AddWithValue("$k" + i, key[i]);
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private void EnsureWritable()
    {
        if (!Writable)
        {
            throw new InvalidOperationException("This is a read-only store transaction.");
        }
    }
}

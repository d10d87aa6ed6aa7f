using System.Buffers.Binary;
using System.Text;

namespace Parley.Client.Storage;

/// <summary>The SQLite type of a clear column.</summary>
internal enum ColumnType
{
    Integer = 1,
    Text = 2,
    Blob = 3,
}

/// <summary>A clear (unencrypted, queryable) column of a sealed table.</summary>
internal sealed record ClearColumn(string Name, ColumnType Type);

/// <summary>
/// A table whose rows are clear lookup columns plus one sealed <c>cell</c>. The first <see cref="KeyCount"/>
/// clear columns are the primary key. Every clear value is bound into the cell's associated data, so changing
/// any of them (or moving a cell) breaks authentication.
/// </summary>
internal sealed class SealedTable
{
    public SealedTable(string name, int keyCount, params ClearColumn[] columns)
    {
        Name = name;
        KeyCount = keyCount;
        Columns = columns;
        var definitions = columns.Select(c => $"{c.Name} {SqlType(c.Type)} NOT NULL");
        var key = string.Join(", ", columns.Take(keyCount).Select(c => c.Name));
        CreateSql = $"CREATE TABLE {name} ({string.Join(", ", definitions)}, cell BLOB NOT NULL, PRIMARY KEY ({key})) STRICT";
        SelectList = string.Join(", ", columns.Select(c => c.Name)) + ", cell";
        KeyWhere = string.Join(" AND ", columns.Take(keyCount).Select((c, i) => $"{c.Name} = $k{i}"));
    }

    public string Name { get; }

    public int KeyCount { get; }

    public IReadOnlyList<ClearColumn> Columns { get; }

    public string CreateSql { get; }

    /// <summary>Every clear column then <c>cell</c>.</summary>
    public string SelectList { get; }

    /// <summary><c>k1 = $k0 AND …</c> over the key columns.</summary>
    public string KeyWhere { get; }

    /// <summary>
    /// The associated data of a row: a label, the profile id, the table name and each clear value with its
    /// type and length.
    /// </summary>
    public byte[] AssociatedData(ReadOnlySpan<byte> profileId, IReadOnlyList<object> values)
    {
        if (values.Count != Columns.Count)
        {
            throw new ArgumentException($"{Name} has {Columns.Count} clear columns, got {values.Count} values.", nameof(values));
        }

        using var buffer = new MemoryStream(64);
        buffer.Write("parley.cell.v1\0"u8);
        buffer.Write(profileId);
        WriteField(buffer, 2, Encoding.UTF8.GetBytes(Name));
        Span<byte> eight = stackalloc byte[8];
        for (var i = 0; i < values.Count; i++)
        {
            switch (Columns[i].Type, values[i])
            {
                case (ColumnType.Integer, long number):
                    BinaryPrimitives.WriteInt64BigEndian(eight, number);
                    WriteField(buffer, 1, eight);
                    break;
                case (ColumnType.Text, string text):
                    WriteField(buffer, 2, Encoding.UTF8.GetBytes(text));
                    break;
                case (ColumnType.Blob, byte[] blob):
                    WriteField(buffer, 3, blob);
                    break;
                default:
                    // A stored value of the wrong type: only possible if the file was edited.
                    throw new StoreIntegrityException($"A clear column of {Name} holds a value of the wrong type.");
            }
        }

        return buffer.ToArray();
    }

    private static void WriteField(MemoryStream buffer, byte type, ReadOnlySpan<byte> value)
    {
        Span<byte> header = stackalloc byte[5];
        header[0] = type;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], value.Length);
        buffer.Write(header);
        buffer.Write(value);
    }

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.Text => "TEXT",
        _ => "BLOB",
    };
}

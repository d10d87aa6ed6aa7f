using Microsoft.Data.Sqlite;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Support;

/// <summary>Direct SQLite access to a closed profile's file, for tamper tests (what an attacker with the disk can do).</summary>
internal static class RawDatabase
{
    public static SqliteConnection Open(string profileDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = ProfileDatabase.DatabasePath(profileDirectory),
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static int Execute(string profileDirectory, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(profileDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    public static object? Scalar(string profileDirectory, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Open(profileDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    /// <summary>Every sealed cell as (table, rowid, length).</summary>
    public static List<(string Table, long RowId, int Length)> Cells(string profileDirectory)
    {
        using var connection = Open(profileDirectory);
        var cells = new List<(string, long, int)>();
        foreach (var table in StoreSchema.Tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT rowid, length(cell) FROM {table.Name}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cells.Add((table.Name, reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        return cells;
    }

    public static byte[] Cell(string profileDirectory, string table, long rowId) =>
        (byte[])Scalar(profileDirectory, $"SELECT cell FROM {table} WHERE rowid = $r", ("$r", rowId))!;

    public static void SetCell(string profileDirectory, string table, long rowId, byte[] cell) =>
        Execute(profileDirectory, $"UPDATE {table} SET cell = $c WHERE rowid = $r", ("$c", cell), ("$r", rowId));

    /// <summary>Copies a closed profile folder (database and marker).</summary>
    public static void CopyProfile(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Parley.Client.Diagnostics;
using Parley.Crypto.Passwords;

namespace Parley.Client.Storage;

/// <summary>
/// The profile's SQLite file (<c>profile.db</c>, WAL, <c>synchronous=FULL</c>, temp data in memory,
/// <c>secure_delete</c>) and its marker file. Opening verifies the passphrase (via the wrapped data key), the
/// schema, SQLite's structure, every sealed cell and the row-set digest before anything is used: a damaged
/// or edited store fails closed. One connection per client; all work is serialised through one gate and runs
/// in <c>BEGIN IMMEDIATE</c> transactions, so several processes on one profile also stay consistent.
/// </summary>
internal sealed class ProfileDatabase : IAsyncDisposable
{
    public const string FileName = "profile.db";
    public const string MarkerFileName = "parley-profile";
    private const string MarkerPrefix = "parley-profile v1 ";

    private readonly SqliteConnection _connection;
    private readonly CellCipher _cipher;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;

    private ProfileDatabase(string directory, SqliteConnection connection, CellCipher cipher, byte[] profileId)
    {
        Directory = directory;
        _connection = connection;
        _cipher = cipher;
        ProfileId = profileId;
    }

    public string Directory { get; }

    public byte[] ProfileId { get; }

    public static string DatabasePath(string directory) => Path.Combine(directory, FileName);

    public static string MarkerPath(string directory) => Path.Combine(directory, MarkerFileName);

    /// <summary>True when <paramref name="directory"/> holds a complete profile.</summary>
    public static bool Exists(string directory) => File.Exists(MarkerPath(directory));

    /// <summary>
    /// Creates the database (not yet the marker: <see cref="Complete"/> writes it once the profile is usable).
    /// A database left without a marker by an interrupted creation is replaced.
    /// </summary>
    public static ProfileDatabase Create(string directory, string passphrase, Argon2idCost cost)
    {
        if (Exists(directory))
        {
            throw new ParleyException(ParleyErrorCode.ProfileExists, $"A profile already exists in {directory}.");
        }

        CreatePrivateDirectory(directory);
        DeleteFiles(directory);
        var profileId = RandomNumberGenerator.GetBytes(ProfileKeys.ProfileIdSize);
        var salt = RandomNumberGenerator.GetBytes(Argon2id.SaltSize);
        var dataKey = RandomNumberGenerator.GetBytes(ProfileKeys.DataKeySize);
        try
        {
            var wrapped = ProfileKeys.Wrap(dataKey, passphrase, salt, cost, profileId);
            var cipher = new CellCipher(dataKey);
            var connection = Connect(directory, SqliteOpenMode.ReadWriteCreate);
            RestrictFile(DatabasePath(directory));
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            using (var transaction = connection.BeginTransaction())
            {
                foreach (var statement in StoreSchema.CreateStatements)
                {
                    Execute(connection, transaction, statement);
                }

                PutMeta(connection, transaction, "format", [StoreSchema.FormatVersion]);
                PutMeta(connection, transaction, "profile_id", profileId);
                PutMeta(connection, transaction, "kdf", ProfileKeys.EncodeCost(cost));
                PutMeta(connection, transaction, "salt", salt);
                PutMeta(connection, transaction, "wrapped_key", wrapped);
                PutMeta(connection, transaction, "digest", cipher.Seal(DigestAssociatedData(profileId), new RowSetDigest().ToBytes()));
                transaction.Commit();
            }

            return new ProfileDatabase(directory, connection, cipher, profileId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Writes the marker file that makes the profile openable (temp file, fsync, rename).</summary>
    public void Complete()
    {
        var marker = MarkerPath(Directory);
        var temp = marker + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(MarkerPrefix + Convert.ToHexStringLower(ProfileId) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, marker, overwrite: true);
    }

    /// <summary>Opens and fully verifies an existing profile.</summary>
    public static ProfileDatabase Open(string directory, string passphrase)
    {
        var markerId = ReadMarker(directory);
        if (!File.Exists(DatabasePath(directory)))
        {
            throw Tampered("The profile database is missing.");
        }

        SqliteConnection? connection = null;
        byte[]? dataKey = null;
        CellCipher? cipher = null;
        try
        {
            connection = Connect(directory, SqliteOpenMode.ReadWrite);
            CheckStructure(connection);
            var meta = ReadMeta(connection);
            if (!meta.TryGetValue("format", out var format) || format.Length != 1)
            {
                throw Tampered("The profile database has no format marker.");
            }

            if (format[0] > StoreSchema.FormatVersion)
            {
                throw new ParleyException(ParleyErrorCode.UnsupportedProfileVersion, "This profile was written by a newer Parley; upgrade Parley to open it.");
            }

            if (!meta.TryGetValue("profile_id", out var profileId) || !meta.TryGetValue("kdf", out var kdf)
                || !meta.TryGetValue("salt", out var salt) || !meta.TryGetValue("wrapped_key", out var wrapped)
                || !meta.TryGetValue("digest", out var sealedDigest))
            {
                throw Tampered("The profile database is missing key material.");
            }

            if (!CryptographicOperations.FixedTimeEquals(profileId, markerId))
            {
                throw Tampered("The profile database belongs to another profile.");
            }

            if (ProfileKeys.DecodeCost(kdf) is not { } cost || !ProfileKeys.IsAcceptableStoredCost(cost) || salt.Length != Argon2id.SaltSize)
            {
                throw Tampered("The profile's key derivation settings are invalid.");
            }

            dataKey = ProfileKeys.Unwrap(wrapped, passphrase, salt, cost, profileId)
                ?? throw new ParleyException(ParleyErrorCode.WrongPassphrase, "Wrong passphrase for this profile.");
            cipher = new CellCipher(dataKey);
            var stored = RowSetDigest.FromBytes(cipher.Open(DigestAssociatedData(profileId), sealedDigest));
            var computed = ComputeDigest(connection, cipher, profileId);
            if (!stored.SameAs(computed))
            {
                throw Tampered("The profile store's rows do not match its digest (rows were removed, added or replaced).");
            }

            var database = new ProfileDatabase(directory, connection, cipher, profileId);
            connection = null;
            cipher = null;
            return database;
        }
        catch (StoreIntegrityException e)
        {
            throw Tampered(e.Message, e);
        }
        catch (SqliteException e)
        {
            throw Tampered("The profile database is damaged: " + e.SqliteErrorCode.ToString(CultureInfo.InvariantCulture) + ".", e);
        }
        catch (InvalidCastException e)
        {
            throw Tampered("The profile database holds a value of the wrong type.", e);
        }
        finally
        {
            if (dataKey is not null)
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }

            cipher?.Dispose();
            connection?.Dispose();
        }
    }

    /// <summary>Runs <paramref name="work"/> in an immediate transaction; commits when it returns.</summary>
    public Task<T> WriteAsync<T>(Func<StoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(work, writable: true, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a read transaction (a consistent snapshot).</summary>
    public Task<T> ReadAsync<T>(Func<StoreTransaction, ValueTask<T>> work, CancellationToken cancellationToken) =>
        RunAsync(work, writable: false, cancellationToken);

    /// <summary>Re-wraps the data key under a new passphrase (and, optionally, new KDF costs).</summary>
    public async Task ChangePassphraseAsync(string oldPassphrase, string newPassphrase, Argon2idCost cost, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            using var transaction = _connection.BeginTransaction();
            var meta = ReadMeta(_connection, transaction);
            var oldCost = ProfileKeys.DecodeCost(meta["kdf"])!.Value;
            var dataKey = ProfileKeys.Unwrap(meta["wrapped_key"], oldPassphrase, meta["salt"], oldCost, ProfileId)
                ?? throw new ParleyException(ParleyErrorCode.WrongPassphrase, "Wrong passphrase for this profile.");
            try
            {
                var salt = RandomNumberGenerator.GetBytes(Argon2id.SaltSize);
                PutMeta(_connection, transaction, "kdf", ProfileKeys.EncodeCost(cost));
                PutMeta(_connection, transaction, "salt", salt);
                PutMeta(_connection, transaction, "wrapped_key", ProfileKeys.Wrap(dataKey, newPassphrase, salt, cost, ProfileId));
                transaction.Commit();
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            // Fold the WAL into the database and truncate it, so stale pages do not linger in the -wal file.
            try
            {
                using var checkpoint = _connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // Best effort: the WAL is replayed on the next open either way.
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            _cipher.Dispose();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async Task<T> RunAsync<T>(Func<StoreTransaction, ValueTask<T>> work, bool writable, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        StoreTransaction unit;
        T result;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            using var transaction = _connection.BeginTransaction(deferred: !writable);
            try
            {
                var digest = writable
                    ? RowSetDigest.FromBytes(_cipher.Open(DigestAssociatedData(ProfileId), ReadMeta(_connection, transaction, "digest")))
                    : new RowSetDigest();
                unit = new StoreTransaction(_connection, transaction, _cipher, ProfileId, digest, writable);
                result = await work(unit).ConfigureAwait(false);
                if (writable && unit.Changed && !unit.RollbackRequested)
                {
                    PutMeta(_connection, transaction, "digest", _cipher.Seal(DigestAssociatedData(ProfileId), unit.Digest.ToBytes()));
                    CrashPoints.Reached(CrashPoints.BeforeStoreCommit);
                    transaction.Commit();
                }
                else
                {
                    transaction.Rollback();
                }
            }
            catch (StoreIntegrityException e)
            {
                throw Tampered(e.Message, e);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
            {
                throw Tampered("The profile database is damaged.", e);
            }
        }
        finally
        {
            _gate.Release();
        }

        foreach (var action in unit.AfterCommitActions)
        {
            action();
        }

        return result;
    }

    private static RowSetDigest ComputeDigest(SqliteConnection connection, CellCipher cipher, byte[] profileId)
    {
        var digest = new RowSetDigest();
        using var transaction = connection.BeginTransaction(deferred: true);
        foreach (var table in StoreSchema.Tables)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {table.SelectList} FROM {table.Name}";
            using var reader = command.ExecuteReader();
            var values = new object[table.Columns.Count];
            while (reader.Read())
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.GetValue(i);
                }

                var cell = reader.GetValue(values.Length) as byte[] ?? throw new StoreIntegrityException("A stored value is missing.");
                var ad = table.AssociatedData(profileId, values);
                var plaintext = cipher.Open(ad, cell);
                CryptographicOperations.ZeroMemory(plaintext);
                digest.Add(cipher.RowDigest(ad, cell));
            }
        }

        transaction.Rollback();
        return digest;
    }

    /// <summary>SQLite's own check plus an exact comparison of the schema with the one Parley creates.</summary>
    private static void CheckStructure(SqliteConnection connection)
    {
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "PRAGMA quick_check;";
            var result = check.ExecuteScalar() as string;
            if (!string.Equals(result, "ok", StringComparison.Ordinal))
            {
                throw Tampered("The profile database failed SQLite's structure check.");
            }
        }

        var expected = StoreSchema.CreateStatements.Order(StringComparer.Ordinal).ToList();
        var actual = new List<string>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            actual.Add(reader.GetString(0));
        }

        actual.Sort(StringComparer.Ordinal);
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            throw Tampered("The profile database's schema is not the one Parley wrote.");
        }
    }

    private static byte[] ReadMarker(string directory)
    {
        string text;
        try
        {
            text = File.ReadAllText(MarkerPath(directory));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ParleyException(ParleyErrorCode.ProfileNotFound, $"No Parley profile in {directory}; create one first.");
        }

        var line = text.TrimEnd('\n');
        if (!line.StartsWith(MarkerPrefix, StringComparison.Ordinal))
        {
            throw Tampered("The profile marker file is damaged.");
        }

        try
        {
            var id = Convert.FromHexString(line[MarkerPrefix.Length..]);
            return id.Length == ProfileKeys.ProfileIdSize ? id : throw Tampered("The profile marker file is damaged.");
        }
        catch (FormatException e)
        {
            throw Tampered("The profile marker file is damaged.", e);
        }
    }

    private static SqliteConnection Connect(string directory, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath(directory),
            Mode = mode,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = ON; PRAGMA trusted_schema = OFF;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static Dictionary<string, byte[]> ReadMeta(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        var meta = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, value FROM meta";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            meta[reader.GetString(0)] = reader.GetValue(1) as byte[] ?? throw new StoreIntegrityException("A profile setting is malformed.");
        }

        return meta;
    }

    private static byte[] ReadMeta(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as byte[] ?? throw new StoreIntegrityException($"The profile setting '{name}' is missing.");
    }

    private static void PutMeta(SqliteConnection connection, SqliteTransaction transaction, string name, byte[] value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static byte[] DigestAssociatedData(ReadOnlySpan<byte> profileId)
    {
        var ad = new byte[24 + profileId.Length];
        "parley.store.digest.v1\0\0"u8.CopyTo(ad);
        profileId.CopyTo(ad.AsSpan(24));
        return ad;
    }

    private static ParleyException Tampered(string detail, Exception? inner = null) =>
        new(ParleyErrorCode.StoreTampered, detail + " The profile store was modified or damaged outside Parley; nothing was loaded.", inner);

    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Removes the database files of an interrupted creation (never a completed profile: callers check the marker).</summary>
    public static void DeleteFiles(string directory)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(DatabasePath(directory) + suffix);
        }
    }
}

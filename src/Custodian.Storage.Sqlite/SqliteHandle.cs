using Custodian.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// One open connection with its commands kept prepared: a command is created once per SQL text and
/// reused, so the hot path binds values and steps a prepared statement instead of parsing SQL again.
/// Not thread-safe: a handle is used by one caller at a time (the writer, or a rented reader).
/// </summary>
internal sealed class SqliteHandle : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);

    private SqliteHandle(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    public static SqliteHandle Open(string path, Durability durability)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The store keeps its own connections open; the library's pool would only add a layer.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var handle = new SqliteHandle(connection);
        // WAL: readers never wait for the writer. NORMAL in WAL survives a process crash (the WAL is written
        // before COMMIT returns, fsynced only at checkpoints); FULL fsyncs every commit (power loss).
        var synchronous = durability == Durability.Full ? "FULL" : "NORMAL";
        // A join dirties a few scattered B-tree pages (device, session, event index), and the WAL holds whole pages:
        // 1 KiB pages write a quarter of what the default 4 KiB do (page_size only takes on a new database).
        // WalCheckpointer copies the WAL into the database on its own connection; the writer's own checkpoint
        // (every 4096 pages) then finds little left to copy, completes, and lets the WAL restart, which keeps the
        // WAL file bounded under constant writes (truncated back to 64 MiB).
        handle.Execute(
            $"PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; " +
            "PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=4096; PRAGMA journal_size_limit=67108864;");
        return handle;
    }

    /// <summary>The cached command for <paramref name="sql"/> (parameters keep their last values until set).</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }
        return command;
    }

    /// <summary>The cached raw statement for <paramref name="sql"/> (the hot path's statements).</summary>
    public RawStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(Connection, sql);
            _statements.Add(sql, statement);
        }
        return statement;
    }

    public int Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }
        _statements.Clear();
        Connection.Dispose();
    }
}

internal static class SqliteCommandExtensions
{
    /// <summary>Sets a named parameter, adding it on the command's first use.</summary>
    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
        return command;
    }
}

using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and driven through SQLite's C API (bind by index,
/// step, reset): for the join hot path, where ADO.NET's per-execution work (a data reader, parameter lookup by
/// name, boxed values) would cost more than SQLite itself. Values bind without managed allocations.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement, out _));
    }

    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public RawStatement Bind(int index, long? value) => value is { } v ? Bind(index, v) : BindNull(index);

    public RawStatement Bind(int index, ReadOnlySpan<char> text)
    {
        Check(raw.sqlite3_bind_text16(_statement, index, text));
        return this;
    }

    public RawStatement Bind(int index, string? text) => text is null ? BindNull(index) : Bind(index, text.AsSpan());

    public RawStatement BindBlob(int index, ReadOnlySpan<byte> bytes)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, bytes));
        return this;
    }

    public RawStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement to completion and returns the rows it changed.</summary>
    public int Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        }
        return raw.sqlite3_changes(_db);
    }

    /// <summary>
    /// Steps once: true when a row is ready to read (call <see cref="Reset"/> when done with it), false when there is
    /// no further row (the statement is reset already).
    /// </summary>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        }
        return false;
    }

    public void Reset() => raw.sqlite3_reset(_statement);

    // Columns of the current row, numbered from 0.

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public long? GetInt64OrNull(int column) => IsNull(column) ? null : GetInt64(column);

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public string? GetStringOrNull(int column) => IsNull(column) ? null : GetString(column);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
        }
    }
}

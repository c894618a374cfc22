using Custodian.Core.Custody;
using Custodian.Core.Storage;
using Microsoft.Data.Sqlite;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>Pruning, KEK check values, rewrap and online backup (see <see cref="IStoreMaintenance"/>).</summary>
public sealed partial class SqliteCustodianStore : IStoreMaintenance
{
    // Events: the oldest ids first (ids rise with time), and only among the first $limit ids, so a pass that finds
    // nothing old reads $limit rows, never the whole table, inside the writer's transaction.
    private const string DeleteOldEvents =
        "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT $limit) AND time < $before";

    // Sessions: SessionKeyIDs start with the time, so the primary key's first rows are the oldest sessions.
    private const string DeleteExpiredSessions =
        "DELETE FROM sessions WHERE (session_key_id, dev_eui) IN (SELECT session_key_id, dev_eui FROM sessions ORDER BY session_key_id LIMIT $limit) AND expires_at < $before";

    private static readonly string[] CountedTables = ["devices", "used_dev_nonces", "sessions", "events", "networks", "application_servers", "kek_checks"];

    public Task<int> DeleteEventsBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(DeleteOldEvents).Set("$limit", (long)limit).Set("$before", ToDb(before)).ExecuteNonQuery(), cancellationToken);

    public Task<int> DeleteSessionsExpiredBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(DeleteExpiredSessions).Set("$limit", (long)limit).Set("$before", ToDb(before)).ExecuteNonQuery(), cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => (IReadOnlyDictionary<string, long>)CountedTables.ToDictionary(
            table => table, table => (long)db.Scalar($"SELECT count(*) FROM {table}")!));

    public Task<IReadOnlyDictionary<string, string>> ReadKekChecksAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) =>
        {
            var checks = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = db.Command("SELECT label, check_value FROM kek_checks").ExecuteReader();
            while (reader.Read())
            {
                checks[reader.GetString(0)] = reader.GetString(1);
            }
            return (IReadOnlyDictionary<string, string>)checks;
        });

    public Task<bool> AddKekCheckAsync(string label, string check, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command("INSERT INTO kek_checks (label, check_value, created_at) VALUES ($label, $check, $now) ON CONFLICT DO NOTHING")
            .Set("$label", label).Set("$check", check).Set("$now", ToDb(_time.GetUtcNow())).ExecuteNonQuery() == 1, cancellationToken);

    public Task RemoveKekChecksAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            foreach (var label in labels)
            {
                db.Command("DELETE FROM kek_checks WHERE label = $label").Set("$label", label).ExecuteNonQuery();
            }
            return labels.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<SealedCell>> ReadSealedAsync(SealedColumn column, string? after, int limit, CancellationToken cancellationToken)
    {
        var shape = SealedColumnShape.For(column, sessionsByDevEuiFirst: false);
        return Read((column, shape, after, limit), static (db, query) =>
        {
            var (column, shape, after, limit) = query;
            var keys = shape.KeyColumns;
            var where = after is null ? "" : $" AND ({shape.KeyList}) > ({Parameters(keys.Count)})";
            var command = db.Command($"SELECT {shape.KeyList}, {shape.Column} FROM {shape.Table} WHERE {shape.Column} IS NOT NULL{where} ORDER BY {shape.KeyList} LIMIT $limit");
            command.Set("$limit", (long)limit);
            if (after is not null)
            {
                SetKey(command, shape.ParseKey(after));
            }
            var cells = new List<SealedCell>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var values = Enumerable.Range(0, keys.Count).Select(reader.GetValue).ToList();
                cells.Add(new SealedCell(
                    column, SealedColumnShape.FormatKey(values), reader.GetString(keys.Count), SecretBinding.ForStoredRow(shape.Table, shape.Column, values)));
            }
            return (IReadOnlyList<SealedCell>)cells;
        });
    }

    public Task<int> ReplaceSealedAsync(SealedColumn column, IReadOnlyList<SealedReplacement> replacements, CancellationToken cancellationToken)
    {
        var shape = SealedColumnShape.For(column, sessionsByDevEuiFirst: false);
        var version = shape.IsDevice ? ", version = version + 1" : "";
        var sql = $"UPDATE {shape.Table} SET {shape.Column} = $new{version} WHERE ({shape.KeyList}) = ({Parameters(shape.KeyColumns.Count)}) AND {shape.Column} = $old";
        return _writer.Enqueue(db =>
        {
            var replaced = 0;
            var command = db.Command(sql);
            foreach (var replacement in replacements)
            {
                SetKey(command, shape.ParseKey(replacement.Key));
                replaced += command.Set("$new", replacement.New).Set("$old", replacement.Old).ExecuteNonQuery();
            }
            return replaced;
        }, cancellationToken);
    }

    /// <summary>
    /// A consistent copy of the whole database into <paramref name="path"/> (which must not exist), taken on a read
    /// connection with <c>VACUUM INTO</c>: one read transaction, so writers (joins) carry on meanwhile in WAL mode.
    /// </summary>
    public Task BackupToAsync(string path, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var db = SqliteHandle.Open(FilePath, Durability.Process);
            using var command = db.Connection.CreateCommand();
            command.CommandText = "VACUUM INTO $path";
            command.Parameters.AddWithValue("$path", path);
            command.ExecuteNonQuery();
        }, cancellationToken);

    private static string Parameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "$k" + i));

    private static void SetKey(SqliteCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Set("$k" + i, values[i]);
        }
    }
}

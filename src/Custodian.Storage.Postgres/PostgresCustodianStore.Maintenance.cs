using Custodian.Core.Custody;
using Custodian.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Custodian.Storage.Postgres;

/// <summary>Pruning, KEK check values and rewrap (see <see cref="IStoreMaintenance"/>).</summary>
public sealed partial class PostgresCustodianStore : IStoreMaintenance
{
    // Events: among the first $2 ids (the oldest), those older than $1: a pass reads at most $2 index entries.
    private const string DeleteOldEvents =
        "DELETE FROM events WHERE id IN (SELECT id FROM events ORDER BY id LIMIT $2) AND time < $1";

    // Sessions: through sessions_expires (schema 5).
    private const string DeleteExpiredSessions =
        "DELETE FROM sessions WHERE ctid = ANY (ARRAY(SELECT ctid FROM sessions WHERE expires_at < $1 LIMIT $2))";

    private static readonly string[] CountedTables = ["devices", "used_dev_nonces", "sessions", "events", "networks", "application_servers", "kek_checks"];

    public async Task<int> DeleteEventsBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteOldEvents).WithTime(before).With(limit, NpgsqlDbType.Integer);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteSessionsExpiredBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(DeleteExpiredSessions).WithTime(before).With(limit, NpgsqlDbType.Integer);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in CountedTables)
        {
            await using var command = Command($"SELECT count(*) FROM {table}");
            counts[table] = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        return counts;
    }

    public async Task<IReadOnlyDictionary<string, string>> ReadKekChecksAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = Command("SELECT label, check_value FROM kek_checks");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            checks[reader.GetString(0)] = reader.GetString(1);
        }
        return checks;
    }

    public async Task<bool> AddKekCheckAsync(string label, string check, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO kek_checks (label, check_value) VALUES ($1, $2) ON CONFLICT DO NOTHING").WithText(label).WithText(check);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task RemoveKekChecksAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken)
    {
        await using var command = Command("DELETE FROM kek_checks WHERE label = ANY ($1)").With(labels.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SealedCell>> ReadSealedAsync(SealedColumn column, string? after, int limit, CancellationToken cancellationToken)
    {
        var shape = SealedColumnShape.For(column, sessionsByDevEuiFirst: true);
        var count = shape.KeyColumns.Count;
        var where = after is null ? "" : $" AND ({shape.KeyList}) > ({Parameters(2, count)})";
        await using var command = Command($"SELECT {shape.KeyList}, {shape.Column} FROM {shape.Table} WHERE {shape.Column} IS NOT NULL{where} ORDER BY {shape.KeyList} LIMIT $1")
            .With(limit, NpgsqlDbType.Integer);
        if (after is not null)
        {
            AddKey(command, shape, shape.ParseKey(after));
        }
        var cells = new List<SealedCell>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = Enumerable.Range(0, count).Select(reader.GetValue).ToList();
            cells.Add(new SealedCell(
                column, SealedColumnShape.FormatKey(values), reader.GetString(count), SecretBinding.ForStoredRow(shape.Table, shape.Column, values)));
        }
        return cells;
    }

    public async Task<int> ReplaceSealedAsync(SealedColumn column, IReadOnlyList<SealedReplacement> replacements, CancellationToken cancellationToken)
    {
        var shape = SealedColumnShape.For(column, sessionsByDevEuiFirst: true);
        var version = shape.IsDevice ? ", version = version + 1" : "";
        var sql = $"UPDATE {shape.Table} SET {shape.Column} = $1{version} WHERE ({shape.KeyList}) = ({Parameters(3, shape.KeyColumns.Count)}) AND {shape.Column} = $2";
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var replaced = 0;
        foreach (var replacement in replacements)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction).WithText(replacement.New).WithText(replacement.Old);
            AddKey(command, shape, shape.ParseKey(replacement.Key));
            replaced += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return replaced;
    }

    private static string Parameters(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(i => "$" + i));

    /// <summary>Key parameters typed as the columns are (net_id is integer, EUIs bigint).</summary>
    private static void AddKey(NpgsqlCommand command, SealedColumnShape shape, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            _ = shape.KeyKinds[i] switch
            {
                SealedKeyKind.Integer when shape.KeyColumns[i] == "net_id" => command.With((int)(long)values[i], NpgsqlDbType.Integer),
                SealedKeyKind.Integer => command.With(values[i], NpgsqlDbType.Bigint),
                SealedKeyKind.Bytes => command.With(values[i], NpgsqlDbType.Bytea),
                _ => command.With(values[i], NpgsqlDbType.Text),
            };
        }
    }
}

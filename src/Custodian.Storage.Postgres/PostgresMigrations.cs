using System.Globalization;
using Custodian.Core.Storage;
using Npgsql;

namespace Custodian.Storage.Postgres;

/// <summary>
/// Versioned migrations: the embedded scripts <c>Migrations/NNNN_name.sql</c>, applied in order in one
/// transaction that first takes a transaction-scoped advisory lock, so instances starting together take turns:
/// the second one waits, then finds the schema current.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock key ("Custodian" in ASCII, folded into 64 bits).</summary>
    private const long LockKey = 0x437573746F646961;

    public static IReadOnlyList<(int Version, string Sql)> Scripts { get; } = MigrationScripts.Load(typeof(PostgresMigrations).Assembly);

    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken).ConfigureAwait(false);
        await using (var select = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
        {
            var current = Convert.ToInt32(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            foreach (var (version, sql) in Scripts.Where(s => s.Version > current))
            {
                await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version})", cancellationToken).ConfigureAwait(false);
                current = version;
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

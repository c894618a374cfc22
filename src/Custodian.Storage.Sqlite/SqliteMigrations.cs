using System.Globalization;
using Custodian.Core.Storage;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// Versioned migrations: the embedded scripts <c>Migrations/NNNN_name.sql</c>, applied in order inside the
/// writer's <c>BEGIN IMMEDIATE</c> transaction (which also keeps a second process out), each recorded in
/// <c>schema_version</c>.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> Scripts { get; } = MigrationScripts.Load(typeof(SqliteMigrations).Assembly);

    public static int Apply(SqliteHandle db, TimeProvider time)
    {
        db.Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
        var current = Convert.ToInt32(db.Scalar("SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture);
        foreach (var (version, sql) in Scripts)
        {
            if (version <= current)
            {
                continue;
            }
            db.Execute(sql);
            db.Command("INSERT INTO schema_version (version, applied_at) VALUES ($version, $applied_at)")
                .Set("$version", version)
                .Set("$applied_at", SqliteValues.ToDb(time.GetUtcNow()))
                .ExecuteNonQuery();
            current = version;
        }
        return current;
    }
}

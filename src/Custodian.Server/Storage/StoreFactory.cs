using Custodian.Core.Storage;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Custodian.Storage.Postgres;
using Custodian.Storage.Sqlite;
using Npgsql;

namespace Custodian.Server.Storage;

/// <summary>
/// The store engine chosen at run time: PostgreSQL when <c>Custodian:Postgres</c> is set, else SQLite in the
/// data directory. The caller migrates it at start.
/// </summary>
internal static class StoreFactory
{
    public static ICustodianStore Create(CustodianOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Postgres is { } connectionString)
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            ServerLog.UsingPostgres(logger, settings.Host ?? "(default)", settings.Database ?? "(default)");
            return PostgresCustodianStore.Create(connectionString);
        }
        ServerLog.UsingSqlite(logger, Path.GetFullPath(options.DataDirectory), options.Durability);
        return SqliteCustodianStore.Create(options.DataDirectory, options.Durability, time);
    }

    /// <summary>Whether the text reads as a connection string; the reason is left out, as it may quote a password.</summary>
    public static bool IsValidPostgres(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

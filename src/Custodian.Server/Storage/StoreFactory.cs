using Custodian.Core.Storage;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;
using Custodian.Storage.Sqlite;

namespace Custodian.Server.Storage;

/// <summary>
/// The store engine chosen at run time: PostgreSQL when <c>Custodian:Postgres</c> is set, else SQLite in the
/// data directory. The caller migrates it at start.
/// </summary>
internal static class StoreFactory
{
    public static ICustodianStore Create(CustodianOptions options, TimeProvider time, ILogger logger)
    {
        if (options.Postgres is not null)
        {
            throw new NotSupportedException("Custodian:Postgres is set, but this build has no PostgreSQL engine yet.");
        }
        ServerLog.UsingSqlite(logger, Path.GetFullPath(options.DataDirectory), options.Durability);
        return SqliteCustodianStore.Create(options.DataDirectory, options.Durability, time);
    }
}

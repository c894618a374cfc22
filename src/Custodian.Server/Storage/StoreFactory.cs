using Custodian.Core.Storage;
using Custodian.Server.Configuration;

namespace Custodian.Server.Storage;

/// <summary>
/// The store engine chosen at run time: PostgreSQL when <c>Custodian:Postgres</c> is set, else SQLite in the
/// data directory.
/// </summary>
internal static class StoreFactory
{
    public static ICustodianStore Create(CustodianOptions options, ILogger logger) =>
        throw new NotSupportedException("The storage engines are not merged yet.");
}

using Custodian.Core.Custody;
using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Configuration;
using Custodian.Server.Problems;
using Custodian.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Maintenance;

/// <summary><c>POST /api/v1/kek/rewrap</c> and <c>GET /api/v1/backup</c> (admin).</summary>
internal static class MaintenanceApi
{
    private const string BackupContentType = "application/vnd.sqlite3";
    private const int MaxBatchSize = 10_000;

    public static void MapMaintenanceApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/kek/rewrap", RewrapAsync).RequireRight(ApiRights.Admin);
        api.MapGet("/backup", BackupAsync).RequireRight(ApiRights.Admin);
    }

    /// <summary>The rewrap's answer: per label found, how many secrets it held, how many were re-sealed, how many failed.</summary>
    public sealed record RewrapResponse(
        string CurrentLabel, IReadOnlyDictionary<string, LabelCounts> Labels, long Rewrapped, long Failed, IReadOnlyList<string> RetiredLabels,
        IReadOnlyList<string> FailedRows);

    /// <summary><c>?batchSize=</c>: secrets per transaction (default 500); smaller batches hold the writer for less at a time.</summary>
    private static async Task<IResult> RewrapAsync(string? batchSize, SecretRewrapper rewrapper, ILogger<SecretRewrapper> logger, CancellationToken cancellationToken)
    {
        var size = SecretRewrapper.DefaultBatchSize;
        if (batchSize is not null && (!int.TryParse(batchSize, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxBatchSize))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"batchSize: 1 to {MaxBatchSize}.");
        }
        var report = await rewrapper.RewrapAsync(size, cancellationToken);
        MaintenanceLog.Rewrapped(logger, report.Rewrapped, report.CurrentLabel, report.Failed, string.Join(", ", report.RetiredLabels));
        return TypedResults.Ok(new RewrapResponse(report.CurrentLabel, report.Labels, report.Rewrapped, report.Failed, report.RetiredLabels, report.FailedRows));
    }

    /// <summary>
    /// Streams a consistent copy of the SQLite store, taken online (<c>VACUUM INTO</c> on a read connection) into an
    /// owner-only file in the data directory that is deleted once sent. The KEK is not in it: keep that apart.
    /// </summary>
    private static async Task<IResult> BackupAsync(
        HttpContext context, ICustodianStore store, IOptions<CustodianOptions> options, ILogger<SecretRewrapper> logger, CancellationToken cancellationToken)
    {
        if (store is not SqliteCustodianStore sqlite)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidRequest,
                "This server stores in PostgreSQL: back it up with pg_dump or pg_basebackup (see docs/operations.md).");
        }
        var path = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), $"backup-{Guid.NewGuid():N}.db.tmp");
        CreateOwnerOnly(path);
        try
        {
            await sqlite.BackupToAsync(path, cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        MaintenanceLog.BackupTaken(logger, stream.Length);
        context.Response.Headers.CacheControl = "no-store";
        var name = $"custodian-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}.db";
        return TypedResults.Stream(stream, BackupContentType, name);
    }

    /// <summary>VACUUM INTO accepts an empty file: creating it first gives the copy owner-only permissions.</summary>
    private static void CreateOwnerOnly(string path)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var _ = new FileStream(path, fileOptions);
    }
}

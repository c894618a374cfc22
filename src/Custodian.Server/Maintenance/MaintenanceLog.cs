namespace Custodian.Server.Maintenance;

/// <summary>Log messages of retention, rewrap and backup (event ids 1300–1319): counts and labels only.</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(1300, LogLevel.Information, "Retention: pruned {Events} audit event(s) and {Sessions} expired session(s)")]
    public static partial void Pruned(ILogger logger, long events, long sessions);

    [LoggerMessage(1301, LogLevel.Error, "Retention: pruning failed; it runs again at the next check")]
    public static partial void PruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(1302, LogLevel.Information, "KEK rewrap: {Rewrapped} secret(s) re-sealed under {Label}, {Failed} failed; retired label(s): {Retired}")]
    public static partial void Rewrapped(ILogger logger, long rewrapped, string label, long failed, string retired);

    [LoggerMessage(1303, LogLevel.Information, "Backup: a copy of the SQLite store ({Bytes} bytes) is being sent")]
    public static partial void BackupTaken(ILogger logger, long bytes);
}

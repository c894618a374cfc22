using Custodian.Core.Custody;
using Custodian.Core.Storage;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// The join hot path: the version-checked device update, then (only if it matched) the used DevNonce,
/// the session and the audit event — raw prepared statements on the writer, inside the group's transaction.
/// </summary>
internal sealed class CommitJoinWork(JoinCommit commit, CancellationToken cancellationToken)
    : WriteWork<JoinCommitResult>(cancellationToken)
{
    protected override JoinCommitResult Run(SqliteHandle db)
    {
        var device = commit.Device;
        var devEui = ToDb(device.DevEui);
        var updated = db.Statement(SqliteSql.CommitJoinDevice)
            .Bind(1, device.LastDevNonce?.Value)
            .Bind(2, device.NextJoinNonce)
            .Bind(3, device.LastJoinAt is { } lastJoinAt ? ToDb(lastJoinAt) : null)
            .Bind(4, devEui)
            .Bind(5, commit.ExpectedVersion)
            .Execute();
        if (updated == 0)
        {
            return JoinCommitResult.Conflict;
        }
        if (commit.RememberDevNonce)
        {
            db.Statement(SqliteSql.InsertDevNonce).Bind(1, devEui).Bind(2, commit.DevNonce.Value).Execute();
        }
        InsertSession(db, devEui);
        InsertEvent(db);
        return JoinCommitResult.Committed;
    }

    private void InsertSession(SqliteHandle db, long devEui)
    {
        var session = commit.Session;
        Span<char> buffer = stackalloc char[256];
        db.Statement(SqliteSql.InsertSession)
            .Bind(1, devEui)
            .BindBlob(2, session.SessionKeyId.Span)
            .Bind(3, session.OwnershipEpoch)
            .Bind(4, ToDb(session.NetId))
            .Bind(5, session.AsId)
            .Bind(6, StorageText(session.AppSKey, buffer))
            .Bind(7, ToDb(session.CreatedAt))
            .Bind(8, ToDb(session.ExpiresAt))
            .Execute();
    }

    private void InsertEvent(SqliteHandle db)
    {
        var auditEvent = commit.Event;
        db.Statement(SqliteSql.InsertJoinEvent)
            .Bind(1, ToDb(auditEvent.Time))
            .Bind(2, auditEvent.TenantId)
            .Bind(3, auditEvent.Type)
            .Bind(4, auditEvent.DevEui is { } devEui ? ToDb(devEui) : null)
            .Bind(5, auditEvent.Code)
            .Bind(6, auditEvent.Detail)
            .Bind(7, auditEvent.Actor)
            .Execute();
    }

    /// <summary><see cref="SealedSecret.ToStorageText"/> into a stack buffer (a new string only when it does not fit).</summary>
    private static ReadOnlySpan<char> StorageText(SealedSecret secret, Span<char> buffer) =>
        secret.TryFormatStorageText(buffer, out var written) ? buffer[..written] : secret.ToStorageText();
}

using Custodian.Core.Storage;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// The join hot path: the version-checked device update, then (only if it matched) the used DevNonce,
/// the session and the audit event — on the writer's prepared statements, inside the group's transaction.
/// </summary>
internal sealed class CommitJoinWork(JoinCommit commit, CancellationToken cancellationToken)
    : WriteWork<JoinCommitResult>(cancellationToken)
{
    protected override JoinCommitResult Run(SqliteHandle db)
    {
        var device = commit.Device;
        var devEui = ToDb(device.DevEui);
        var updated = db.Command(SqliteSql.CommitJoinDevice)
            .Set("$last_dev_nonce", device.LastDevNonce?.Value)
            .Set("$next_join_nonce", (long)device.NextJoinNonce)
            .Set("$last_join_at", ToDb(device.LastJoinAt))
            .Set("$dev_eui", devEui)
            .Set("$expected_version", commit.ExpectedVersion)
            .ExecuteNonQuery();
        if (updated == 0)
        {
            return JoinCommitResult.Conflict;
        }
        if (commit.RememberDevNonce)
        {
            db.Command(SqliteSql.InsertDevNonce)
                .Set("$dev_eui", devEui)
                .Set("$dev_nonce", (long)commit.DevNonce.Value)
                .ExecuteNonQuery();
        }
        var session = db.Command(SqliteSql.InsertSession);
        SqliteRows.BindSession(session, commit.Session);
        session.ExecuteNonQuery();
        var insertEvent = db.Command(SqliteSql.InsertEvent);
        SqliteRows.BindEvent(insertEvent, commit.Event);
        insertEvent.ExecuteNonQuery();
        return JoinCommitResult.Committed;
    }
}

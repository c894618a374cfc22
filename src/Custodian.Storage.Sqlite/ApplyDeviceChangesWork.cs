using Custodian.Core.Devices;
using Custodian.Core.Storage;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// Many read-modify-writes of devices (a claim batch) as one write of the group-commit writer, so inside one
/// transaction: each change reads its device as it is now (earlier changes of the batch included, as they are
/// already written), decides, writes the device at the next version and appends its events, with the writer's
/// prepared statements. Should the group roll back, the writer runs this again alone and every decision is asked again.
/// </summary>
internal sealed class ApplyDeviceChangesWork(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken)
    : WriteWork<int>(cancellationToken), IWriteWork
{
    int IWriteWork.Weight => changes.Count;

    protected override int Run(SqliteHandle db)
    {
        var select = db.Statement(SqliteRows.SelectDeviceRaw);
        var update = db.Statement(SqliteRows.UpdateDeviceRaw);
        var insertEvent = db.Statement(SqliteSql.InsertJoinEvent);
        var written = 0;
        foreach (var change in changes)
        {
            var current = Select(select, change.DevEui);
            var decision = change.Decide(current);
            if (decision.Write is { } write && current is not null)
            {
                SqliteRows.BindDevice(update, write with { DevEui = change.DevEui }, current.Version + 1);
                written += update.Execute();
            }
            foreach (var auditEvent in decision.Events)
            {
                SqliteRows.BindEvent(insertEvent, auditEvent);
                insertEvent.Execute();
            }
        }
        return written;
    }

    private static Device? Select(RawStatement select, DevEui devEui)
    {
        select.Bind(1, ToDb(devEui));
        if (!select.Step())
        {
            return null;
        }
        try
        {
            return SqliteRows.ReadDevice(select);
        }
        finally
        {
            select.Reset();
        }
    }
}

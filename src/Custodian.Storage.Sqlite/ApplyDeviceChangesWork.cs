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
    : WriteWork<int>(cancellationToken)
{
    protected override int Run(SqliteHandle db)
    {
        var select = db.Command(SqliteRows.SelectDevice);
        var update = db.Command(SqliteRows.UpdateDevice);
        var insertEvent = db.Command(SqliteSql.InsertEvent);
        var written = 0;
        foreach (var change in changes)
        {
            select.Set("$dev_eui", ToDb(change.DevEui));
            Core.Devices.Device? current;
            using (var reader = select.ExecuteReader())
            {
                current = reader.Read() ? SqliteRows.ReadDevice(reader) : null;
            }
            var decision = change.Decide(current);
            if (decision.Write is { } write && current is not null)
            {
                SqliteRows.BindDevice(update, write with { DevEui = change.DevEui }, current.Version + 1);
                written += update.ExecuteNonQuery();
            }
            foreach (var auditEvent in decision.Events)
            {
                SqliteRows.BindEvent(insertEvent, auditEvent);
                insertEvent.ExecuteNonQuery();
            }
        }
        return written;
    }
}

using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>The audit events of the Backend Interfaces requests, in the device's tenant (its owner, else its maker).</summary>
internal static class JoinAudit
{
    public static string TenantOf(Device device) => device.Owner?.TenantId ?? device.MakerTenantId;

    public static AuditEvent Event(Device device, string type, ResultCode code, string? detail, string actor, DateTimeOffset time) =>
        new(0, time, TenantOf(device), type, device.DevEui, code.ToWireName(), detail, actor);

    /// <summary>Records a refusal (accepted joins are recorded inside their JoinCommit).</summary>
    public static async Task RecordRefusalAsync(
        IEventLog events, Device device, string type, ResultCode code, string? detail, string actor, DateTimeOffset time, CancellationToken cancellationToken) =>
        await events.AppendEventAsync(Event(device, type, code, detail, actor, time), cancellationToken).ConfigureAwait(false);
}

using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// The audit events of the Backend Interfaces requests, in the device's tenant (its owner, else its maker).
/// An accepted request's code is <c>Success</c>; a refusal's code is its cause (<see cref="JoinErrors"/>),
/// and its detail says precisely why and which ResultCode the peer was answered.
/// </summary>
internal static class JoinAudit
{
    public const string AcceptedCode = "Success";

    public static string TenantOf(Device device) => device.Owner?.TenantId ?? device.MakerTenantId;

    public static AuditEvent Accepted(Device device, string type, string? detail, string actor, DateTimeOffset time) =>
        new(0, time, TenantOf(device), type, device.DevEui, AcceptedCode, detail, actor);

    public static AuditEvent Refused(Device device, string type, JoinError cause, ResultCode answered, string detail, string actor, DateTimeOffset time) =>
        new(0, time, TenantOf(device), type, device.DevEui, cause.Code, $"{detail} Answered {answered.ToWireName()}.", actor);

    /// <summary>Records a refusal (accepted joins are recorded inside their JoinCommit).</summary>
    public static async Task RecordRefusalAsync(
        IEventLog events, Device device, string type, JoinError cause, ResultCode answered, string detail, string actor, DateTimeOffset time, CancellationToken cancellationToken) =>
        await events.AppendEventAsync(Refused(device, type, cause, answered, detail, actor, time), cancellationToken).ConfigureAwait(false);
}

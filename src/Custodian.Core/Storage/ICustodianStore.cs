using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Tenancy;

namespace Custodian.Core.Storage;

/// <summary>
/// Everything Custodian keeps, behind one contract with an engine per database (SQLite, PostgreSQL).
/// Every method is atomic; a conformance suite runs the same tests over every engine.
/// </summary>
public interface ICustodianStore : ITenantRegistry, IPeerRegistry, IDeviceRegistry, IRoutedClaimRegistry, IClaimThrottleRegistry, IEventLog, IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema; safe to call from several instances at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}

public interface ITenantRegistry
{
    /// <summary>False when a tenant with that id exists.</summary>
    Task<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken);

    Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken);

    /// <summary>Tenants by id (ordinal order), those after <paramref name="after"/> when set.</summary>
    Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Stores a key; its tenant must exist.</summary>
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<ApiKeyRecord?> FindApiKeyAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken);

    /// <summary>The key whose <see cref="ApiKeyRecord.CertificateThumbprint"/> is this SHA-256 of a client certificate.</summary>
    Task<ApiKeyRecord?> FindApiKeyByCertificateAsync(ReadOnlyMemory<byte> thumbprint, CancellationToken cancellationToken);

    /// <summary>Whether any key holds the admin right (the bootstrap creates one when none does).</summary>
    Task<bool> HasAdminKeyAsync(CancellationToken cancellationToken);

    /// <summary>A tenant's keys, oldest first (then by id).</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the tenant's key, unless it is the last key anywhere that holds the admin right: nobody could then
    /// manage the server until a restart made a new one. The check and the delete are one atomic step.
    /// </summary>
    Task<ApiKeyDeletion> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken);

    /// <summary>
    /// Remembers that <c>Custodian:AdminKey</c> named the key with this SHA-256; true when it never had before
    /// (a new configured key), false when it was already remembered (the configuration did not change).
    /// </summary>
    Task<bool> RememberConfiguredAdminKeyAsync(ReadOnlyMemory<byte> keyHash, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The DevEUI blocks the tenant may provision in (none when it holds none, or does not exist).</summary>
    Task<DevEuiBlocks> GetDevEuiBlocksAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Every tenant's DevEUI blocks, by tenant then block.</summary>
    Task<IReadOnlyList<(string TenantId, DevEuiBlock Block)>> ListDevEuiBlocksAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the tenant's DevEUI blocks, unless one of them overlaps another tenant's block
    /// (<see cref="DevEuiBlockAssignment.Decide"/>): the check and the write are one atomic step.
    /// </summary>
    Task<DevEuiBlockAssignment> SetDevEuiBlocksAsync(string tenantId, DevEuiBlocks blocks, CancellationToken cancellationToken);
}

public interface IPeerRegistry
{
    /// <summary>False when a network with that NetID and NSID (null NSID included) exists.</summary>
    Task<bool> CreateNetworkAsync(Network network, CancellationToken cancellationToken);

    Task<Network?> GetNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken);

    Task<Network?> FindNetworkAsync(PeerCredential credential, CancellationToken cancellationToken);

    /// <summary>Every network, by NetID then NSID (none first).</summary>
    Task<IReadOnlyList<Network>> ListNetworksAsync(CancellationToken cancellationToken);

    /// <summary>False when an application server with that AS-ID exists.</summary>
    Task<bool> CreateApplicationServerAsync(ApplicationServer applicationServer, CancellationToken cancellationToken);

    Task<ApplicationServer?> GetApplicationServerAsync(string asId, CancellationToken cancellationToken);

    Task<ApplicationServer?> FindApplicationServerAsync(PeerCredential credential, CancellationToken cancellationToken);

    /// <summary>Every application server, by AS-ID (ordinal order).</summary>
    Task<IReadOnlyList<ApplicationServer>> ListApplicationServersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="network"/>'s token hash and certificate thumbprint on the network with its NetID and NSID
    /// (rotation); nothing else changes. False when no such network exists.
    /// </summary>
    Task<bool> UpdateNetworkCredentialsAsync(Network network, CancellationToken cancellationToken);

    /// <summary>Removes the network with that NetID and NSID (null NSID included); false when there is none.</summary>
    Task<bool> DeleteNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken);

    /// <summary>As <see cref="UpdateNetworkCredentialsAsync"/>, for the application server with that AS-ID.</summary>
    Task<bool> UpdateApplicationServerCredentialsAsync(ApplicationServer applicationServer, CancellationToken cancellationToken);

    /// <summary>Removes the application server; false when there is none.</summary>
    Task<bool> DeleteApplicationServerAsync(string asId, CancellationToken cancellationToken);
}

public interface IDeviceRegistry
{
    /// <summary>
    /// Inserts many devices in one transaction; per item, true when created and false when its DevEUI
    /// is taken (by a stored device or an earlier item). Nothing is written for a false item.
    /// </summary>
    Task<IReadOnlyList<bool>> CreateDevicesAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken);

    Task<Device?> GetDeviceAsync(DevEui devEui, CancellationToken cancellationToken);

    /// <summary>
    /// Atomic read-modify-write: <paramref name="update"/> sees the current device and returns the new one,
    /// or null to leave it unchanged. The store bumps <see cref="Device.Version"/>. The function may run
    /// more than once (on a conflict) and must be pure. Returns the stored device afterwards (null if none).
    /// </summary>
    Task<Device?> UpdateDeviceAsync(DevEui devEui, Func<Device, Device?> update, CancellationToken cancellationToken);

    /// <summary>
    /// Read-modify-write of many devices in one transaction (claims, unclaims): for each change in order, its
    /// <see cref="DeviceChange.Decide"/> sees the device as it is now, earlier changes of the same call
    /// included (null when there is no such device), and what it returns is stored with the store bumping
    /// <see cref="Device.Version"/>, then its events appended. A decision may be asked again if the
    /// transaction is retried; the last one asked is the one stored.
    /// </summary>
    Task ApplyDeviceChangesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken);

    /// <summary>The devices this tenant owns, by DevEUI, those after <paramref name="after"/> when set.</summary>
    Task<IReadOnlyList<Device>> ListOwnedDevicesAsync(string ownerTenantId, DevEui? after, int limit, CancellationToken cancellationToken);

    /// <summary>The devices this tenant provisioned, by DevEUI, those after <paramref name="after"/> when set.</summary>
    Task<IReadOnlyList<Device>> ListMakerDevicesAsync(string makerTenantId, DevEui? after, int limit, CancellationToken cancellationToken);

    /// <summary>LoRaWAN 1.0.0–1.0.3: whether the device already used this DevNonce (since the last reset).</summary>
    Task<bool> IsDevNonceUsedAsync(DevEui devEui, DevNonce devNonce, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an accepted join in one transaction, only if the device is still at
    /// <see cref="JoinCommit.ExpectedVersion"/>: the device's new counters, the used DevNonce (when
    /// <see cref="JoinCommit.RememberDevNonce"/>), the session and the audit event. The answer may leave
    /// only after this returns <see cref="JoinCommitResult.Committed"/>.
    /// </summary>
    Task<JoinCommitResult> CommitJoinAsync(JoinCommit commit, CancellationToken cancellationToken);

    /// <summary>Forgets the used DevNonces and the last DevNonce, so a device whose counter restarted can join again.</summary>
    Task<Device?> ResetDevNoncesAsync(DevEui devEui, CancellationToken cancellationToken);

    Task<JoinSession?> GetSessionAsync(DevEui devEui, ReadOnlyMemory<byte> sessionKeyId, CancellationToken cancellationToken);

    /// <summary>Devices by state, for the metrics.</summary>
    Task<DeviceCounts> CountDevicesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Claims this server forwarded to another Join Server (claim routing): the device lives there, the record of
/// who claimed it through us lives here, so that the owner's list, status and unclaim find it.
/// </summary>
public interface IRoutedClaimRegistry
{
    /// <summary>Stores the claim, replacing any earlier record for the same DevEUI.</summary>
    Task PutRoutedClaimAsync(RoutedClaim claim, CancellationToken cancellationToken);

    Task<RoutedClaim?> GetRoutedClaimAsync(DevEui devEui, CancellationToken cancellationToken);

    /// <summary>False when there was no record for this DevEUI held by this tenant.</summary>
    Task<bool> DeleteRoutedClaimAsync(DevEui devEui, string tenantId, CancellationToken cancellationToken);

    /// <summary>This tenant's routed claims, by DevEUI, those after <paramref name="after"/> when set.</summary>
    Task<IReadOnlyList<RoutedClaim>> ListRoutedClaimsAsync(string tenantId, DevEui? after, int limit, CancellationToken cancellationToken);
}

public interface IEventLog
{
    /// <summary>Appends an event; the id passed is ignored and the stored one returned.</summary>
    Task<long> AppendEventAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Appends several events (a provisioning batch audits every device); an engine may override this to
    /// write them in one transaction.
    /// </summary>
    async Task AppendEventsAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        foreach (var auditEvent in auditEvents)
        {
            await AppendEventAsync(auditEvent, cancellationToken);
        }
    }

    Task<IReadOnlyList<AuditEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);
}

/// <summary>
/// An accepted join to store: <see cref="Device"/> is the device with its new LastDevNonce, NextJoinNonce
/// and LastJoinAt, computed from the read at <see cref="ExpectedVersion"/>.
/// </summary>
public sealed record JoinCommit(
    Device Device,
    long ExpectedVersion,
    DevNonce DevNonce,
    bool RememberDevNonce,
    JoinSession Session,
    AuditEvent Event);

public enum JoinCommitResult
{
    Committed,

    /// <summary>The device changed since it was read (another join, a claim…): read again and retry.</summary>
    Conflict,
}

/// <summary>What <see cref="ITenantRegistry.DeleteApiKeyAsync"/> did.</summary>
public enum ApiKeyDeletion
{
    Deleted,

    /// <summary>The tenant has no key with that id.</summary>
    NotFound,

    /// <summary>Kept: it is the last key that holds the admin right.</summary>
    LastAdminKey,
}

/// <summary>The one rule of <see cref="ITenantRegistry.DeleteApiKeyAsync"/>, for every engine.</summary>
public static class ApiKeyDeletions
{
    /// <summary>
    /// <paramref name="rights"/>: the key's, null when the tenant has no such key; <paramref name="anotherAdminKey"/>:
    /// whether some other key holds the admin right.
    /// </summary>
    public static ApiKeyDeletion Decide(ApiRights? rights, bool anotherAdminKey) => rights switch
    {
        null => ApiKeyDeletion.NotFound,
        { } held when held.HasFlag(ApiRights.Admin) && !anotherAdminKey => ApiKeyDeletion.LastAdminKey,
        _ => ApiKeyDeletion.Deleted,
    };
}

public sealed record DeviceCounts(long Unclaimed, long Claimed);

/// <summary>One device's part of <see cref="IDeviceRegistry.ApplyDeviceChangesAsync"/>.</summary>
public sealed record DeviceChange(DevEui DevEui, Func<Device?, DeviceDecision> Decide);

/// <summary>What to store for one change: the device's new state (null: leave it as it is) and the events to append.</summary>
public readonly record struct DeviceDecision(Device? Write, IReadOnlyList<AuditEvent> Events)
{
    public static DeviceDecision Nothing { get; } = new(null, []);
}

/// <summary>A claim forwarded to the Join Server named <see cref="JoinServer"/> (a route in the configuration).</summary>
public sealed record RoutedClaim(
    DevEui DevEui,
    JoinEui JoinEui,
    string TenantId,
    string JoinServer,
    NetId HomeNetId,
    string? HomeNsId,
    string? AsId,
    bool Locked,
    DateTimeOffset ClaimedAt);

using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;

namespace Custodian.Core.Tests.Joins;

/// <summary>
/// The in-memory store with a rival at the commit: <see cref="RaceNextCommit"/> lets an identical join
/// commit first (as a second server instance would), so ours meets a Conflict; <see cref="AlwaysConflict"/>
/// answers Conflict to every commit.
/// </summary>
internal sealed class RacingStore(ICustodianStore inner) : ICustodianStore
{
    public bool RaceNextCommit { get; set; }

    public bool AlwaysConflict { get; set; }

    public int Commits { get; private set; }

    public int DeviceReads { get; private set; }

    public async Task<JoinCommitResult> CommitJoinAsync(JoinCommit commit, CancellationToken cancellationToken)
    {
        Commits++;
        if (AlwaysConflict)
        {
            return JoinCommitResult.Conflict;
        }
        if (RaceNextCommit)
        {
            RaceNextCommit = false;
            (await inner.CommitJoinAsync(commit, cancellationToken)).Should().Be(JoinCommitResult.Committed);
        }
        return await inner.CommitJoinAsync(commit, cancellationToken);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    public Task<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken) => inner.CreateTenantAsync(tenant, cancellationToken);

    public Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken) => inner.GetTenantAsync(id, cancellationToken);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken) => inner.ListTenantsAsync(after, limit, cancellationToken);

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => inner.CreateApiKeyAsync(key, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) => inner.FindApiKeyAsync(secretHash, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByCertificateAsync(ReadOnlyMemory<byte> thumbprint, CancellationToken cancellationToken) => inner.FindApiKeyByCertificateAsync(thumbprint, cancellationToken);

    public Task<bool> HasAdminKeyAsync(CancellationToken cancellationToken) => inner.HasAdminKeyAsync(cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken) => inner.ListApiKeysAsync(tenantId, cancellationToken);

    public Task<ApiKeyDeletion> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken) => inner.DeleteApiKeyAsync(tenantId, keyId, cancellationToken);

    public Task ApplyDeviceChangesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken) => inner.ApplyDeviceChangesAsync(changes, cancellationToken);

    public Task<IReadOnlyList<Device>> ListOwnedDevicesAsync(string ownerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) => inner.ListOwnedDevicesAsync(ownerTenantId, after, limit, cancellationToken);

    public Task<IReadOnlyList<Device>> ListMakerDevicesAsync(string makerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) => inner.ListMakerDevicesAsync(makerTenantId, after, limit, cancellationToken);

    public Task<IReadOnlyList<ClaimThrottle>> GetClaimThrottlesAsync(IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.GetClaimThrottlesAsync(keys, now, cancellationToken);

    public Task<ClaimThrottle?> UpdateClaimThrottleAsync(string key, DateTimeOffset now, Func<ClaimThrottle?, ClaimThrottle?> update, CancellationToken cancellationToken) =>
        inner.UpdateClaimThrottleAsync(key, now, update, cancellationToken);

    public Task<int> PruneClaimThrottlesAsync(DateTimeOffset now, CancellationToken cancellationToken) => inner.PruneClaimThrottlesAsync(now, cancellationToken);

    public Task<ApiKeyLimits> GetApiKeyLimitsAsync(string keyId, CancellationToken cancellationToken) => inner.GetApiKeyLimitsAsync(keyId, cancellationToken);

    public Task<bool> SetApiKeyLimitsAsync(string keyId, ApiKeyLimits limits, CancellationToken cancellationToken) =>
        inner.SetApiKeyLimitsAsync(keyId, limits, cancellationToken);

    public Task PutRoutedClaimAsync(RoutedClaim claim, CancellationToken cancellationToken) => inner.PutRoutedClaimAsync(claim, cancellationToken);

    public Task<RoutedClaim?> GetRoutedClaimAsync(DevEui devEui, CancellationToken cancellationToken) => inner.GetRoutedClaimAsync(devEui, cancellationToken);

    public Task<bool> DeleteRoutedClaimAsync(DevEui devEui, string tenantId, CancellationToken cancellationToken) => inner.DeleteRoutedClaimAsync(devEui, tenantId, cancellationToken);

    public Task<IReadOnlyList<RoutedClaim>> ListRoutedClaimsAsync(string tenantId, DevEui? after, int limit, CancellationToken cancellationToken) => inner.ListRoutedClaimsAsync(tenantId, after, limit, cancellationToken);

    public Task<DevEuiBlocks> GetDevEuiBlocksAsync(string tenantId, CancellationToken cancellationToken) => inner.GetDevEuiBlocksAsync(tenantId, cancellationToken);

    public Task<IReadOnlyList<(string TenantId, DevEuiBlock Block)>> ListDevEuiBlocksAsync(CancellationToken cancellationToken) =>
        inner.ListDevEuiBlocksAsync(cancellationToken);

    public Task<DevEuiBlockAssignment> SetDevEuiBlocksAsync(string tenantId, DevEuiBlocks blocks, CancellationToken cancellationToken) =>
        inner.SetDevEuiBlocksAsync(tenantId, blocks, cancellationToken);

    public Task<bool> RememberConfiguredAdminKeyAsync(ReadOnlyMemory<byte> keyHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.RememberConfiguredAdminKeyAsync(keyHash, at, cancellationToken);

    public Task<bool> CreateNetworkAsync(Network network, CancellationToken cancellationToken) => inner.CreateNetworkAsync(network, cancellationToken);

    public Task<Network?> GetNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) => inner.GetNetworkAsync(netId, nsId, cancellationToken);

    public Task<Network?> FindNetworkAsync(PeerCredential credential, CancellationToken cancellationToken) => inner.FindNetworkAsync(credential, cancellationToken);

    public Task<IReadOnlyList<Network>> ListNetworksAsync(CancellationToken cancellationToken) => inner.ListNetworksAsync(cancellationToken);

    public Task<bool> CreateApplicationServerAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) => inner.CreateApplicationServerAsync(applicationServer, cancellationToken);

    public Task<ApplicationServer?> GetApplicationServerAsync(string asId, CancellationToken cancellationToken) => inner.GetApplicationServerAsync(asId, cancellationToken);

    public Task<ApplicationServer?> FindApplicationServerAsync(PeerCredential credential, CancellationToken cancellationToken) => inner.FindApplicationServerAsync(credential, cancellationToken);

    public Task<IReadOnlyList<ApplicationServer>> ListApplicationServersAsync(CancellationToken cancellationToken) => inner.ListApplicationServersAsync(cancellationToken);

    public Task<bool> UpdateNetworkCredentialsAsync(Network network, CancellationToken cancellationToken) => inner.UpdateNetworkCredentialsAsync(network, cancellationToken);

    public Task<bool> DeleteNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) => inner.DeleteNetworkAsync(netId, nsId, cancellationToken);

    public Task<bool> UpdateApplicationServerCredentialsAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) =>
        inner.UpdateApplicationServerCredentialsAsync(applicationServer, cancellationToken);

    public Task<bool> DeleteApplicationServerAsync(string asId, CancellationToken cancellationToken) => inner.DeleteApplicationServerAsync(asId, cancellationToken);

    public Task<IReadOnlyList<bool>> CreateDevicesAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken) => inner.CreateDevicesAsync(devices, cancellationToken);

    public Task<Device?> GetDeviceAsync(DevEui devEui, CancellationToken cancellationToken)
    {
        DeviceReads++;
        return inner.GetDeviceAsync(devEui, cancellationToken);
    }

    public Task<Device?> UpdateDeviceAsync(DevEui devEui, Func<Device, Device?> update, CancellationToken cancellationToken) => inner.UpdateDeviceAsync(devEui, update, cancellationToken);

    public Task<bool> IsDevNonceUsedAsync(DevEui devEui, DevNonce devNonce, CancellationToken cancellationToken) => inner.IsDevNonceUsedAsync(devEui, devNonce, cancellationToken);

    public Task<Device?> ResetDevNoncesAsync(DevEui devEui, CancellationToken cancellationToken) => inner.ResetDevNoncesAsync(devEui, cancellationToken);

    public Task<JoinSession?> GetSessionAsync(DevEui devEui, ReadOnlyMemory<byte> sessionKeyId, CancellationToken cancellationToken) => inner.GetSessionAsync(devEui, sessionKeyId, cancellationToken);

    public Task<DeviceCounts> CountDevicesAsync(CancellationToken cancellationToken) => inner.CountDevicesAsync(cancellationToken);

    public Task<long> AppendEventAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => inner.AppendEventAsync(auditEvent, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => inner.ListEventsAsync(query, cancellationToken);
}

using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;

namespace Custodian.Testing;

/// <summary>
/// The store contract in memory under one lock: a fake at the storage seam for unit tests of the
/// services above it. The conformance suite runs over it too, so it behaves as the real engines do.
/// </summary>
public sealed partial class InMemoryCustodianStore : ICustodianStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Tenant> _tenants = [];
    private readonly List<ApiKeyRecord> _apiKeys = [];
    private readonly List<Network> _networks = [];
    private readonly HashSet<string> _configuredAdminKeys = new(StringComparer.Ordinal);
    private readonly List<ApplicationServer> _applicationServers = [];
    private readonly Dictionary<DevEui, Device> _devices = [];
    private readonly HashSet<(DevEui, DevNonce)> _usedDevNonces = [];
    private readonly List<JoinSession> _sessions = [];
    private readonly List<AuditEvent> _events = [];
    private readonly Dictionary<DevEui, RoutedClaim> _routedClaims = [];
    private readonly Dictionary<string, DevEuiBlocks> _blocks = [];

    public Task MigrateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken) =>
        Locked(() => _tenants.TryAdd(tenant.Id, tenant));

    public Task<DevEuiBlocks> GetDevEuiBlocksAsync(string tenantId, CancellationToken cancellationToken) =>
        Locked(() => _blocks.GetValueOrDefault(tenantId) ?? DevEuiBlocks.None);

    public Task<IReadOnlyList<(string TenantId, DevEuiBlock Block)>> ListDevEuiBlocksAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<(string TenantId, DevEuiBlock Block)>>(() =>
            [.. _blocks.OrderBy(b => b.Key, StringComparer.Ordinal).SelectMany(b => b.Value.Blocks.Select(block => (b.Key, block)))]);

    public Task<DevEuiBlockAssignment> SetDevEuiBlocksAsync(string tenantId, DevEuiBlocks blocks, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            if (!_tenants.ContainsKey(tenantId))
            {
                return DevEuiBlockAssignment.NoTenant;
            }
            var decision = DevEuiBlockAssignment.Decide(tenantId, blocks.Blocks, _blocks.SelectMany(b => b.Value.Blocks.Select(block => (b.Key, block))));
            if (decision.Succeeded)
            {
                _blocks[tenantId] = blocks;
            }
            return decision;
        });

    public Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        Locked(() => _tenants.GetValueOrDefault(id));

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Tenant>>(() =>
        [
            .. _tenants.Values
                .Where(t => after is null || string.CompareOrdinal(t.Id, after) > 0)
                .OrderBy(t => t.Id, StringComparer.Ordinal)
                .Take(limit),
        ]);

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_tenants.ContainsKey(key.TenantId))
        {
            throw new InvalidOperationException($"Tenant '{key.TenantId}' does not exist.");
        }
        _apiKeys.Add(key);
        return true;
    });

    public Task<ApiKeyRecord?> FindApiKeyAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        Locked(() => _apiKeys.Find(k => k.SecretHash.Span.SequenceEqual(secretHash.Span)));

    public Task<ApiKeyRecord?> FindApiKeyByCertificateAsync(ReadOnlyMemory<byte> thumbprint, CancellationToken cancellationToken) =>
        Locked(() => _apiKeys.Find(k => k.CertificateThumbprint is { } print && print.Span.SequenceEqual(thumbprint.Span)));

    public Task<bool> HasAdminKeyAsync(CancellationToken cancellationToken) =>
        Locked(() => _apiKeys.Exists(k => k.Rights.HasFlag(ApiRights.Admin)));

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ApiKeyRecord>>(() =>
            [.. _apiKeys.Where(k => k.TenantId == tenantId).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)]);

    public Task<ApiKeyDeletion> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken) => Locked(() =>
    {
        var key = _apiKeys.Find(k => k.Id == keyId && k.TenantId == tenantId);
        var deletion = ApiKeyDeletions.Decide(key?.Rights, _apiKeys.Exists(k => k.Id != keyId && k.Rights.HasFlag(ApiRights.Admin)));
        if (deletion == ApiKeyDeletion.Deleted)
        {
            _apiKeys.Remove(key!);
        }
        return deletion;
    });

    public Task<bool> RememberConfiguredAdminKeyAsync(ReadOnlyMemory<byte> keyHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        Locked(() => _configuredAdminKeys.Add(Convert.ToHexString(keyHash.Span)));

    public Task<bool> CreateNetworkAsync(Network network, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_networks.Exists(n => n.NetId == network.NetId && n.NsId == network.NsId))
        {
            return false;
        }
        _networks.Add(network);
        return true;
    });

    public Task<Network?> GetNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) =>
        Locked(() => _networks.Find(n => n.NetId == netId && n.NsId == nsId));

    public Task<Network?> FindNetworkAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        Locked(() => _networks.Find(n => Matches(credential, n.TokenHash, n.CertificateThumbprint)));

    public Task<IReadOnlyList<Network>> ListNetworksAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Network>>(() =>
            [.. _networks.OrderBy(n => n.NetId.Value).ThenBy(n => n.NsId, StringComparer.Ordinal)]);

    public Task<bool> CreateApplicationServerAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) => Locked(() =>
    {
        if (_applicationServers.Exists(a => a.AsId == applicationServer.AsId))
        {
            return false;
        }
        _applicationServers.Add(applicationServer);
        return true;
    });

    public Task<ApplicationServer?> GetApplicationServerAsync(string asId, CancellationToken cancellationToken) =>
        Locked(() => _applicationServers.Find(a => a.AsId == asId));

    public Task<ApplicationServer?> FindApplicationServerAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        Locked(() => _applicationServers.Find(a => Matches(credential, a.TokenHash, a.CertificateThumbprint)));

    public Task<IReadOnlyList<ApplicationServer>> ListApplicationServersAsync(CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ApplicationServer>>(() => [.. _applicationServers.OrderBy(a => a.AsId, StringComparer.Ordinal)]);

    public Task<bool> UpdateNetworkCredentialsAsync(Network network, CancellationToken cancellationToken) => Locked(() =>
    {
        var index = _networks.FindIndex(n => n.NetId == network.NetId && n.NsId == network.NsId);
        if (index < 0)
        {
            return false;
        }
        _networks[index] = _networks[index] with { TokenHash = network.TokenHash, CertificateThumbprint = network.CertificateThumbprint };
        return true;
    });

    public Task<bool> DeleteNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) =>
        Locked(() => _networks.RemoveAll(n => n.NetId == netId && n.NsId == nsId) == 1);

    public Task<bool> UpdateApplicationServerCredentialsAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) => Locked(() =>
    {
        var index = _applicationServers.FindIndex(a => a.AsId == applicationServer.AsId);
        if (index < 0)
        {
            return false;
        }
        _applicationServers[index] = _applicationServers[index] with
        {
            TokenHash = applicationServer.TokenHash,
            CertificateThumbprint = applicationServer.CertificateThumbprint,
        };
        return true;
    });

    public Task<bool> DeleteApplicationServerAsync(string asId, CancellationToken cancellationToken) =>
        Locked(() => _applicationServers.RemoveAll(a => a.AsId == asId) == 1);

    public Task<IReadOnlyList<bool>> CreateDevicesAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<bool>>(() => [.. devices.Select(d => _devices.TryAdd(d.DevEui, d with { Version = 1 }))]);

    public Task<Device?> GetDeviceAsync(DevEui devEui, CancellationToken cancellationToken) =>
        Locked(() => _devices.GetValueOrDefault(devEui));

    public Task<Device?> UpdateDeviceAsync(DevEui devEui, Func<Device, Device?> update, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_devices.TryGetValue(devEui, out var current))
        {
            return null;
        }
        if (update(current) is not { } updated)
        {
            return current;
        }
        return _devices[devEui] = updated with { DevEui = devEui, Version = current.Version + 1 };
    });

    public Task ApplyDeviceChangesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken) => Locked(() =>
    {
        // One transaction: the writes and events are kept aside and stored only once every decision is made.
        var written = new Dictionary<DevEui, Device>();
        var events = new List<AuditEvent>();
        foreach (var change in changes)
        {
            var current = written.TryGetValue(change.DevEui, out var pending) ? pending : _devices.GetValueOrDefault(change.DevEui);
            var decision = change.Decide(current);
            if (decision.Write is { } write && current is not null)
            {
                written[change.DevEui] = write with { DevEui = change.DevEui, Version = current.Version + 1 };
            }
            events.AddRange(decision.Events);
        }
        foreach (var (devEui, device) in written)
        {
            _devices[devEui] = device;
        }
        foreach (var auditEvent in events)
        {
            Append(auditEvent);
        }
        return true;
    });

    public Task<IReadOnlyList<Device>> ListOwnedDevicesAsync(string ownerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Device>>(() =>
        [
            .. _devices.Values
                .Where(d => d.Owner?.TenantId == ownerTenantId && (after is null || d.DevEui.Value > after.Value.Value))
                .OrderBy(d => d.DevEui.Value)
                .Take(limit),
        ]);

    public Task<IReadOnlyList<Device>> ListMakerDevicesAsync(string makerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<Device>>(() =>
        [
            .. _devices.Values
                .Where(d => d.MakerTenantId == makerTenantId && (after is null || d.DevEui.Value > after.Value.Value))
                .OrderBy(d => d.DevEui.Value)
                .Take(limit),
        ]);

    public Task PutRoutedClaimAsync(RoutedClaim claim, CancellationToken cancellationToken) =>
        Locked(() => _routedClaims[claim.DevEui] = claim);

    public Task<RoutedClaim?> GetRoutedClaimAsync(DevEui devEui, CancellationToken cancellationToken) =>
        Locked(() => _routedClaims.GetValueOrDefault(devEui));

    public Task<bool> DeleteRoutedClaimAsync(DevEui devEui, string tenantId, CancellationToken cancellationToken) =>
        Locked(() => _routedClaims.TryGetValue(devEui, out var claim) && claim.TenantId == tenantId && _routedClaims.Remove(devEui));

    public Task<IReadOnlyList<RoutedClaim>> ListRoutedClaimsAsync(string tenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<RoutedClaim>>(() =>
        [
            .. _routedClaims.Values
                .Where(c => c.TenantId == tenantId && (after is null || c.DevEui.Value > after.Value.Value))
                .OrderBy(c => c.DevEui.Value)
                .Take(limit),
        ]);

    public Task<bool> IsDevNonceUsedAsync(DevEui devEui, DevNonce devNonce, CancellationToken cancellationToken) =>
        Locked(() => _usedDevNonces.Contains((devEui, devNonce)));

    public Task<JoinCommitResult> CommitJoinAsync(JoinCommit commit, CancellationToken cancellationToken) => Locked(() =>
    {
        var devEui = commit.Device.DevEui;
        if (!_devices.TryGetValue(devEui, out var current) || current.Version != commit.ExpectedVersion)
        {
            return JoinCommitResult.Conflict;
        }
        _devices[devEui] = commit.Device with { Version = current.Version + 1 };
        if (commit.RememberDevNonce)
        {
            _usedDevNonces.Add((devEui, commit.DevNonce));
        }
        _sessions.Add(commit.Session);
        Append(commit.Event);
        return JoinCommitResult.Committed;
    });

    public Task<Device?> ResetDevNoncesAsync(DevEui devEui, CancellationToken cancellationToken) => Locked(() =>
    {
        if (!_devices.TryGetValue(devEui, out var current))
        {
            return null;
        }
        _usedDevNonces.RemoveWhere(used => used.Item1 == devEui);
        return _devices[devEui] = current with { LastDevNonce = null, Version = current.Version + 1 };
    });

    public Task<JoinSession?> GetSessionAsync(DevEui devEui, ReadOnlyMemory<byte> sessionKeyId, CancellationToken cancellationToken) =>
        Locked(() => _sessions.Find(s => s.DevEui == devEui && s.SessionKeyId.Span.SequenceEqual(sessionKeyId.Span)));

    public Task<DeviceCounts> CountDevicesAsync(CancellationToken cancellationToken) => Locked(() =>
    {
        var claimed = _devices.Values.LongCount(d => d.Owner is not null);
        return new DeviceCounts(_devices.Count - claimed, claimed);
    });

    public Task<long> AppendEventAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        Locked(() => Append(auditEvent));

    public Task<IReadOnlyList<AuditEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<AuditEvent>>(() =>
        [
            .. _events
                .Where(e => e.TenantId == query.TenantId
                    && (query.DevEui is null || e.DevEui == query.DevEui)
                    && (query.BeforeId is null || e.Id < query.BeforeId))
                .OrderByDescending(e => e.Id)
                .Take(query.Limit),
        ]);

    private long Append(AuditEvent auditEvent)
    {
        var id = _events.Count + 1L;
        _events.Add(auditEvent with { Id = id });
        return id;
    }

    private static bool Matches(PeerCredential credential, ReadOnlyMemory<byte> tokenHash, ReadOnlyMemory<byte>? thumbprint) =>
        credential.Kind == PeerCredentialKind.BearerToken
            ? tokenHash.Span.SequenceEqual(credential.Hash.Span)
            : thumbprint is { } print && print.Span.SequenceEqual(credential.Hash.Span);

    private Task<T> Locked<T>(Func<T> action)
    {
        lock (_lock)
        {
            return Task.FromResult(action());
        }
    }
}

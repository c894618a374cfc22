using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Npgsql;
using NpgsqlTypes;
using static Custodian.Storage.Postgres.PostgresValues;

namespace Custodian.Storage.Postgres;

/// <summary>
/// The shared store: PostgreSQL through a pooled Npgsql data source. Several Custodian instances may use one
/// database: every write is one atomic statement or a transaction with row locks, so they never step on each other.
/// </summary>
public sealed partial class PostgresCustodianStore : ICustodianStore
{
    /// <summary>How many times a batch of device changes is run before a serialization failure or deadlock is let out.</summary>
    private const int MaxAttempts = 10;

    private readonly NpgsqlDataSource _dataSource;
    private readonly JoinCommitBatcher _joins;

    private PostgresCustodianStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _joins = new JoinCommitBatcher(dataSource);
    }

    public static PostgresCustodianStore Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            // The store runs the same few statements all the time: let Npgsql prepare them on each connection
            // (unless the connection string says otherwise).
            builder.MaxAutoPrepare = 64;
        }
        return new PostgresCustodianStore(NpgsqlDataSource.Create(builder.ConnectionString));
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => PostgresMigrations.ApplyAsync(_dataSource, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _joins.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    // Tenants and API keys.

    public async Task<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.InsertTenant).WithText(tenant.Id).WithText(tenant.Name).WithTime(tenant.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectTenant).WithText(id), PostgresRows.ReadTenant, cancellationToken);

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        ListAsync(Command(PostgresSql.SelectTenants).WithText(after ?? "").With(limit, NpgsqlDbType.Integer), PostgresRows.ReadTenant, cancellationToken);

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.InsertApiKey)
            .WithText(key.Id)
            .WithText(key.TenantId)
            .WithText(key.Name)
            .With((int)key.Rights, NpgsqlDbType.Integer)
            .WithBytes(key.SecretHash)
            .WithTime(key.CreatedAt)
            .WithBytes(key.CertificateThumbprint);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<ApiKeyRecord?> FindApiKeyAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectApiKeyByHash).WithBytes(secretHash), PostgresRows.ReadApiKey, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByCertificateAsync(ReadOnlyMemory<byte> thumbprint, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectApiKeyByCertificate).WithBytes(thumbprint), PostgresRows.ReadApiKey, cancellationToken);

    public async Task<bool> HasAdminKeyAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.HasAdminKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        ListAsync(Command(PostgresSql.SelectTenantApiKeys).WithText(tenantId), PostgresRows.ReadApiKey, cancellationToken);

    public async Task<ApiKeyDeletion> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (rights, anotherAdminKey) = await LockApiKeysForDeletionAsync(connection, transaction, tenantId, keyId, cancellationToken).ConfigureAwait(false);
        var deletion = ApiKeyDeletions.Decide(rights, anotherAdminKey);
        if (deletion == ApiKeyDeletion.Deleted)
        {
            await using var delete = new NpgsqlCommand(PostgresSql.DeleteApiKey, connection, transaction).WithText(keyId);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        return deletion;
    }

    // Peers.

    public async Task<bool> CreateNetworkAsync(Network network, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.InsertNetwork)
            .With(ToDb(network.NetId), NpgsqlDbType.Integer)
            .WithText(network.NsId)
            .WithText(network.Name)
            .WithKek(network.Kek)
            .WithBytes(network.TokenHash)
            .WithBytes(network.CertificateThumbprint)
            .WithTime(network.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<Network?> GetNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectNetwork).With(ToDb(netId), NpgsqlDbType.Integer).WithText(nsId), PostgresRows.ReadNetwork, cancellationToken);

    public Task<Network?> FindNetworkAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        SingleAsync(
            Command(credential.Kind == PeerCredentialKind.BearerToken ? PostgresSql.SelectNetworkByToken : PostgresSql.SelectNetworkByCertificate)
                .WithBytes(credential.Hash),
            PostgresRows.ReadNetwork,
            cancellationToken);

    public Task<IReadOnlyList<Network>> ListNetworksAsync(CancellationToken cancellationToken) =>
        ListAsync(Command(PostgresSql.SelectNetworks), PostgresRows.ReadNetwork, cancellationToken);

    public async Task<bool> CreateApplicationServerAsync(ApplicationServer applicationServer, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.InsertApplicationServer)
            .WithText(applicationServer.AsId)
            .WithKek(applicationServer.Kek)
            .WithBytes(applicationServer.TokenHash)
            .WithBytes(applicationServer.CertificateThumbprint)
            .WithTime(applicationServer.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<ApplicationServer?> GetApplicationServerAsync(string asId, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectApplicationServer).WithText(asId), PostgresRows.ReadApplicationServer, cancellationToken);

    public Task<ApplicationServer?> FindApplicationServerAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        SingleAsync(
            Command(credential.Kind == PeerCredentialKind.BearerToken ? PostgresSql.SelectApplicationServerByToken : PostgresSql.SelectApplicationServerByCertificate)
                .WithBytes(credential.Hash),
            PostgresRows.ReadApplicationServer,
            cancellationToken);

    public Task<IReadOnlyList<ApplicationServer>> ListApplicationServersAsync(CancellationToken cancellationToken) =>
        ListAsync(Command(PostgresSql.SelectApplicationServers), PostgresRows.ReadApplicationServer, cancellationToken);

    // Devices.

    public async Task<IReadOnlyList<bool>> CreateDevicesAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken)
    {
        var results = new bool[devices.Count];
        // Only the first item of each DevEUI is sent: a later duplicate in the batch is false without a query.
        var firsts = new Dictionary<DevEui, int>(devices.Count);
        for (var i = 0; i < devices.Count; i++)
        {
            firsts.TryAdd(devices[i].DevEui, i);
        }
        if (firsts.Count == 0)
        {
            return results;
        }
        var candidates = firsts.Values.Select(i => devices[i]).ToList();
        await using var command = Command(PostgresSql.InsertDevices).WithDeviceArrays(candidates);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results[firsts[reader.GetDevEui(0)]] = true;
        }
        return results;
    }

    public Task<Device?> GetDeviceAsync(DevEui devEui, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectDevice).With(devEui), PostgresRows.ReadDevice, cancellationToken);

    public async Task<Device?> UpdateDeviceAsync(DevEui devEui, Func<Device, Device?> update, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The row lock holds off every other write to the device until this transaction ends.
        await using var select = new NpgsqlCommand(PostgresSql.SelectDeviceForUpdate, connection, transaction).With(devEui);
        if (await SingleAsync(select, PostgresRows.ReadDevice, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return null;
        }
        if (update(current) is not { } updated)
        {
            return current;
        }
        var stored = updated with { DevEui = devEui, Version = current.Version + 1 };
        await using var write = new NpgsqlCommand(PostgresSql.UpdateDevice, connection, transaction)
            .WithDevice(stored)
            .With(stored.Version, NpgsqlDbType.Bigint);
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>
    /// Locks the devices of the batch (in DevEUI order, as every caller does, so two batches never deadlock), asks
    /// every decision in order against a copy kept per DevEUI (so each sees the earlier changes), then writes the
    /// changed devices and the events in two statements and commits. A serialization failure or a deadlock (with a
    /// join group commit, which locks in no particular order) runs the whole call again, decisions included.
    /// </summary>
    public async Task ApplyDeviceChangesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }
        var devEuis = changes.Select(c => ToDb(c.DevEui)).Distinct().Order().ToArray();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyDeviceChangesOnceAsync(changes, devEuis, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException exception) when (attempt < MaxAttempts
                && exception.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected)
            {
                // Rolled back: run it all again.
            }
        }
    }

    public async Task<IReadOnlyList<Device>> ListOwnedDevicesAsync(string ownerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        await ListInUnsignedOrderAsync(PostgresSql.SelectOwnedDevices, ownerTenantId, after, limit, PostgresRows.ReadDevice, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Device>> ListMakerDevicesAsync(string makerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        await ListInUnsignedOrderAsync(PostgresSql.SelectMakerDevices, makerTenantId, after, limit, PostgresRows.ReadDevice, cancellationToken).ConfigureAwait(false);

    // Routed claims.

    public async Task PutRoutedClaimAsync(RoutedClaim claim, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.UpsertRoutedClaim).WithRoutedClaim(claim);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<RoutedClaim?> GetRoutedClaimAsync(DevEui devEui, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectRoutedClaim).With(devEui), PostgresRows.ReadRoutedClaim, cancellationToken);

    public async Task<bool> DeleteRoutedClaimAsync(DevEui devEui, string tenantId, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.DeleteRoutedClaim).With(devEui).WithText(tenantId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<RoutedClaim>> ListRoutedClaimsAsync(string tenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        await ListInUnsignedOrderAsync(PostgresSql.SelectRoutedClaims, tenantId, after, limit, PostgresRows.ReadRoutedClaim, cancellationToken).ConfigureAwait(false);

    public async Task<bool> IsDevNonceUsedAsync(DevEui devEui, DevNonce devNonce, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.SelectDevNonceUsed).With(devEui).With((int)devNonce.Value, NpgsqlDbType.Integer);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public Task<JoinCommitResult> CommitJoinAsync(JoinCommit commit, CancellationToken cancellationToken) =>
        _joins.Enqueue(commit, cancellationToken);

    public Task<Device?> ResetDevNoncesAsync(DevEui devEui, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.ResetDevNonces).With(devEui), PostgresRows.ReadDevice, cancellationToken);

    public Task<JoinSession?> GetSessionAsync(DevEui devEui, ReadOnlyMemory<byte> sessionKeyId, CancellationToken cancellationToken) =>
        SingleAsync(Command(PostgresSql.SelectSession).With(devEui).WithBytes(sessionKeyId), PostgresRows.ReadSession, cancellationToken);

    public async Task<DeviceCounts> CountDevicesAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.CountDevices);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new DeviceCounts(reader.GetInt64(0), reader.GetInt64(1));
    }

    // Events.

    public async Task<long> AppendEventAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var command = Command(PostgresSql.InsertEvent).WithEvent(auditEvent);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Appends the events in order, in one statement.</summary>
    public async Task AppendEventsAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        if (auditEvents.Count == 0)
        {
            return;
        }
        await using var command = Command(PostgresSql.InsertEvents).WithEventArrays(auditEvents);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        var command = Command(query.DevEui is null ? PostgresSql.SelectEvents : PostgresSql.SelectDeviceEvents)
            .WithText(query.TenantId)
            .With(query.BeforeId ?? long.MaxValue, NpgsqlDbType.Bigint)
            .With(Math.Max(0, query.Limit), NpgsqlDbType.Integer);
        if (query.DevEui is { } devEui)
        {
            command.With(devEui);
        }
        return await ListAsync(command, PostgresRows.ReadEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyDeviceChangesOnceAsync(IReadOnlyList<DeviceChange> changes, long[] devEuis, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var current = new Dictionary<DevEui, Device>(devEuis.Length);
        await using (var select = new NpgsqlCommand(PostgresSql.SelectDevicesForUpdate, connection, transaction)
            .With(devEuis, NpgsqlDbType.Array | NpgsqlDbType.Bigint))
        {
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var device = PostgresRows.ReadDevice(reader);
                current[device.DevEui] = device;
            }
        }

        var written = new Dictionary<DevEui, Device>();
        var events = new List<AuditEvent>();
        foreach (var change in changes)
        {
            var device = current.GetValueOrDefault(change.DevEui);
            var decision = change.Decide(device);
            if (decision.Write is { } write && device is not null)
            {
                written[change.DevEui] = current[change.DevEui] = write with { DevEui = change.DevEui, Version = device.Version + 1 };
            }
            events.AddRange(decision.Events);
        }

        if (written.Count > 0)
        {
            var devices = written.Values.ToList();
            await using var update = new NpgsqlCommand(PostgresSql.UpdateDevices, connection, transaction)
                .WithDeviceArrays(devices)
                .With(devices.Select(d => d.Version).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (events.Count > 0)
        {
            await using var insert = new NpgsqlCommand(PostgresSql.InsertEvents, connection, transaction).WithEventArrays(events);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key's rights (null: the tenant has no such key) and whether another key holds admin, with those rows locked.</summary>
    private static async Task<(ApiRights? Rights, bool AnotherAdminKey)> LockApiKeysForDeletionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId, string keyId, CancellationToken cancellationToken)
    {
        ApiRights? rights = null;
        var anotherAdminKey = false;
        await using var select = new NpgsqlCommand(PostgresSql.LockApiKeysForDeletion, connection, transaction).WithText(keyId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.GetString(0) != keyId)
            {
                anotherAdminKey = true; // besides the key itself, only admin keys are selected
            }
            else if (reader.GetString(1) == tenantId)
            {
                rights = (ApiRights)reader.GetInt32(2);
            }
        }
        return (rights, anotherAdminKey);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows of <paramref name="key"/> after <paramref name="after"/> in unsigned DevEUI
    /// order: <paramref name="sql"/> ($1 the key, $2…$3 a stored range, $4 the limit) runs once per range, at most twice.
    /// </summary>
    private async Task<List<T>> ListInUnsignedOrderAsync<T>(
        string sql, string key, DevEui? after, int limit, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>(Math.Clamp(limit, 0, 1024));
        foreach (var (from, to) in StoredDevEuiRanges.After(after))
        {
            if (rows.Count >= limit)
            {
                break;
            }
            await using var command = Command(sql)
                .WithText(key)
                .With(from, NpgsqlDbType.Bigint)
                .With(to, NpgsqlDbType.Bigint)
                .With(limit - rows.Count, NpgsqlDbType.Integer);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
        }
        return rows;
    }

    /// <summary>A command on the data source: it borrows a pooled connection for its one execution.</summary>
    private NpgsqlCommand Command(string sql) => _dataSource.CreateCommand(sql);

    private static async Task<IReadOnlyList<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
            return rows;
        }
    }

    private static async Task<T?> SingleAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
        }
    }
}

using System.Text.RegularExpressions;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.Data.Sqlite;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (<c>custodian.db</c>) in WAL mode. All writes go through one
/// group-commit writer connection; reads use pooled read connections that run beside it.
/// </summary>
public sealed partial class SqliteCustodianStore : ICustodianStore
{
    public const string FileName = "custodian.db";

    private readonly GroupCommitWriter _writer;
    private readonly ReaderPool _readers;
    private readonly WalCheckpointer _checkpointer;
    private readonly TimeProvider _time;

    private SqliteCustodianStore(string path, Durability durability, TimeProvider time)
    {
        _time = time;
        _readers = new ReaderPool(path, durability);
        _writer = new GroupCommitWriter(SqliteHandle.Open(path, durability));
        _checkpointer = new WalCheckpointer(SqliteHandle.Open(path, durability));
        FilePath = path;
    }

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens (creating when absent) <c>&lt;dataDirectory&gt;/custodian.db</c>; call <see cref="MigrateAsync"/> next.</summary>
    public static SqliteCustodianStore Create(string dataDirectory, Durability durability, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        OwnerOnlyFiles.CreateDirectory(dataDirectory);
        var path = Path.Combine(Path.GetFullPath(dataDirectory), FileName);
        OwnerOnlyFiles.PrepareDatabase(path);
        return new SqliteCustodianStore(path, durability, time ?? TimeProvider.System);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        _writer.Enqueue(db => SqliteMigrations.Apply(db, _time), cancellationToken);

    /// <summary>A PRAGMA's value as the writer connection sees it (e.g. <c>synchronous</c>: 1 NORMAL, 2 FULL).</summary>
    public Task<object?> ReadWriterPragmaAsync(string pragma, CancellationToken cancellationToken)
    {
        if (!PragmaName().IsMatch(pragma))
        {
            throw new ArgumentException("Not a PRAGMA name.", nameof(pragma));
        }
        return _writer.Enqueue(db => db.Scalar("PRAGMA " + pragma), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _readers.Dispose();
    }

    // Tenants and API keys.

    public Task<bool> CreateTenantAsync(Tenant tenant, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.InsertTenant)
            .Set("$id", tenant.Id)
            .Set("$name", tenant.Name)
            .Set("$created_at", ToDb(tenant.CreatedAt))
            .ExecuteNonQuery() == 1, cancellationToken);

    public Task<Tenant?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        Read(id, static (db, id) => Single(db.Command(SqliteSql.SelectTenant).Set("$id", id), SqliteRows.ReadTenant));

    public Task<IReadOnlyList<Tenant>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        Read((after, limit), static (db, query) =>
            List(db.Command(SqliteSql.SelectTenants).Set("$after", query.after ?? "").Set("$limit", (long)query.limit), SqliteRows.ReadTenant));

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.InsertApiKey)
            .Set("$id", key.Id)
            .Set("$tenant_id", key.TenantId)
            .Set("$name", key.Name)
            .Set("$rights", (long)key.Rights)
            .Set("$secret_hash", Blob(key.SecretHash))
            .Set("$created_at", ToDb(key.CreatedAt))
            .Set("$certificate_thumbprint", key.CertificateThumbprint is { } print ? Blob(print) : null)
            .ExecuteNonQuery(), cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyAsync(ReadOnlyMemory<byte> secretHash, CancellationToken cancellationToken) =>
        Read(Blob(secretHash), static (db, hash) => Single(db.Command(SqliteSql.SelectApiKeyByHash).Set("$hash", hash), SqliteRows.ReadApiKey));

    public Task<ApiKeyRecord?> FindApiKeyByCertificateAsync(ReadOnlyMemory<byte> thumbprint, CancellationToken cancellationToken) =>
        Read(Blob(thumbprint), static (db, print) =>
            Single(db.Command(SqliteSql.SelectApiKeyByCertificate).Set("$thumbprint", print), SqliteRows.ReadApiKey));

    public Task<bool> HasAdminKeyAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => (long)db.Command(SqliteSql.HasAdminKey).ExecuteScalar()! == 1);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        Read(tenantId, static (db, tenantId) => List(db.Command(SqliteSql.SelectTenantApiKeys).Set("$tenant_id", tenantId), SqliteRows.ReadApiKey));

    public Task<ApiKeyDeletion> DeleteApiKeyAsync(string tenantId, string keyId, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            // In the writer, the check and the delete are one step: no other write can come between them.
            ApiRights? rights = null;
            var anotherAdminKey = false;
            using (var reader = db.Command(SqliteSql.SelectApiKeyForDeletion).Set("$id", keyId).Set("$tenant_id", tenantId).ExecuteReader())
            {
                if (reader.Read())
                {
                    rights = (ApiRights)reader.GetInt64(0);
                    anotherAdminKey = reader.GetInt64(1) == 1;
                }
            }
            var deletion = ApiKeyDeletions.Decide(rights, anotherAdminKey);
            if (deletion == ApiKeyDeletion.Deleted)
            {
                db.Command(SqliteSql.DeleteApiKey).Set("$id", keyId).ExecuteNonQuery();
            }
            return deletion;
        }, cancellationToken);

    public Task<bool> RememberConfiguredAdminKeyAsync(ReadOnlyMemory<byte> keyHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.InsertConfiguredAdminKey).Set("$key_hash", Blob(keyHash)).Set("$at", ToDb(at)).ExecuteNonQuery() == 1, cancellationToken);

    // Peers.

    public Task<bool> CreateNetworkAsync(Network network, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var command = db.Command(SqliteSql.InsertNetwork)
                .Set("$net_id", ToDb(network.NetId))
                .Set("$ns_id", network.NsId)
                .Set("$name", network.Name)
                .Set("$token_hash", Blob(network.TokenHash))
                .Set("$certificate_thumbprint", network.CertificateThumbprint is { } print ? Blob(print) : null)
                .Set("$created_at", ToDb(network.CreatedAt))
                .Set("$app_s_key_mode", network.AppSKeyMode.ToText());
            SqliteRows.BindKek(command, network.Kek);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<Network?> GetNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) =>
        Read((netId, nsId), static (db, key) =>
            Single(db.Command(SqliteSql.SelectNetwork).Set("$net_id", ToDb(key.netId)).Set("$ns_id", key.nsId), SqliteRows.ReadNetwork));

    public Task<Network?> FindNetworkAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        Read(credential, static (db, credential) => Single(
            db.Command(credential.Kind == PeerCredentialKind.BearerToken ? SqliteSql.SelectNetworkByToken : SqliteSql.SelectNetworkByCertificate)
                .Set("$hash", Blob(credential.Hash)),
            SqliteRows.ReadNetwork));

    public Task<IReadOnlyList<Network>> ListNetworksAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => List(db.Command(SqliteSql.SelectNetworks), SqliteRows.ReadNetwork));

    public Task<bool> CreateApplicationServerAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var command = db.Command(SqliteSql.InsertApplicationServer)
                .Set("$as_id", applicationServer.AsId)
                .Set("$token_hash", Blob(applicationServer.TokenHash))
                .Set("$certificate_thumbprint", applicationServer.CertificateThumbprint is { } print ? Blob(print) : null)
                .Set("$created_at", ToDb(applicationServer.CreatedAt));
            SqliteRows.BindKek(command, applicationServer.Kek);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<ApplicationServer?> GetApplicationServerAsync(string asId, CancellationToken cancellationToken) =>
        Read(asId, static (db, asId) =>
            Single(db.Command(SqliteSql.SelectApplicationServer).Set("$as_id", asId), SqliteRows.ReadApplicationServer));

    public Task<ApplicationServer?> FindApplicationServerAsync(PeerCredential credential, CancellationToken cancellationToken) =>
        Read(credential, static (db, credential) => Single(
            db.Command(credential.Kind == PeerCredentialKind.BearerToken ? SqliteSql.SelectApplicationServerByToken : SqliteSql.SelectApplicationServerByCertificate)
                .Set("$hash", Blob(credential.Hash)),
            SqliteRows.ReadApplicationServer));

    public Task<IReadOnlyList<ApplicationServer>> ListApplicationServersAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => List(db.Command(SqliteSql.SelectApplicationServers), SqliteRows.ReadApplicationServer));

    public Task<bool> UpdateNetworkCredentialsAsync(Network network, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.UpdateNetworkCredentials)
            .Set("$net_id", ToDb(network.NetId))
            .Set("$ns_id", network.NsId)
            .Set("$token_hash", Blob(network.TokenHash))
            .Set("$certificate_thumbprint", network.CertificateThumbprint is { } print ? Blob(print) : null)
            .ExecuteNonQuery() == 1, cancellationToken);

    public Task<bool> DeleteNetworkAsync(NetId netId, string? nsId, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.DeleteNetwork).Set("$net_id", ToDb(netId)).Set("$ns_id", nsId).ExecuteNonQuery() == 1, cancellationToken);

    public Task<bool> UpdateApplicationServerCredentialsAsync(ApplicationServer applicationServer, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.UpdateApplicationServerCredentials)
            .Set("$as_id", applicationServer.AsId)
            .Set("$token_hash", Blob(applicationServer.TokenHash))
            .Set("$certificate_thumbprint", applicationServer.CertificateThumbprint is { } print ? Blob(print) : null)
            .ExecuteNonQuery() == 1, cancellationToken);

    public Task<bool> DeleteApplicationServerAsync(string asId, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.DeleteApplicationServer).Set("$as_id", asId).ExecuteNonQuery() == 1, cancellationToken);

    // Devices.

    public Task<IReadOnlyList<bool>> CreateDevicesAsync(IReadOnlyList<Device> devices, CancellationToken cancellationToken) =>
        _writer.Enqueue<IReadOnlyList<bool>>(db =>
        {
            var command = db.Command(SqliteRows.InsertDevice);
            var created = new bool[devices.Count];
            for (var i = 0; i < devices.Count; i++)
            {
                // A DevEUI already stored, or inserted by an earlier item, makes this a no-op: false.
                SqliteRows.BindDevice(command, devices[i], version: 1);
                created[i] = command.ExecuteNonQuery() == 1;
            }
            return created;
        }, cancellationToken);

    public Task<Device?> GetDeviceAsync(DevEui devEui, CancellationToken cancellationToken) =>
        Read(devEui, static (db, devEui) => SelectDevice(db, devEui));

    public Task<Device?> UpdateDeviceAsync(DevEui devEui, Func<Device, Device?> update, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            // In the writer, the read and the write are one step: no other write can come between them.
            if (SelectDevice(db, devEui) is not { } current)
            {
                return null;
            }
            if (update(current) is not { } updated)
            {
                return current;
            }
            var stored = updated with { DevEui = devEui, Version = current.Version + 1 };
            var command = db.Command(SqliteRows.UpdateDevice);
            SqliteRows.BindDevice(command, stored, stored.Version);
            command.ExecuteNonQuery();
            return stored;
        }, cancellationToken);

    public Task ApplyDeviceChangesAsync(IReadOnlyList<DeviceChange> changes, CancellationToken cancellationToken) =>
        changes.Count == 0 ? Task.CompletedTask : _writer.Enqueue(new ApplyDeviceChangesWork(changes, cancellationToken));

    public Task<IReadOnlyList<Device>> ListOwnedDevicesAsync(string ownerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Read((ownerTenantId, after, limit), static (db, query) =>
            ListInUnsignedOrder(db.Command(SqliteSql.SelectOwnedDevices).Set("$owner", query.ownerTenantId), query.after, query.limit, SqliteRows.ReadDevice));

    public Task<IReadOnlyList<Device>> ListMakerDevicesAsync(string makerTenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Read((makerTenantId, after, limit), static (db, query) =>
            ListInUnsignedOrder(db.Command(SqliteSql.SelectMakerDevices).Set("$maker", query.makerTenantId), query.after, query.limit, SqliteRows.ReadDevice));

    // Routed claims.

    public Task PutRoutedClaimAsync(RoutedClaim claim, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var command = db.Command(SqliteSql.UpsertRoutedClaim);
            SqliteRows.BindRoutedClaim(command, claim);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<RoutedClaim?> GetRoutedClaimAsync(DevEui devEui, CancellationToken cancellationToken) =>
        Read(devEui, static (db, devEui) => Single(db.Command(SqliteSql.SelectRoutedClaim).Set("$dev_eui", ToDb(devEui)), SqliteRows.ReadRoutedClaim));

    public Task<bool> DeleteRoutedClaimAsync(DevEui devEui, string tenantId, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(SqliteSql.DeleteRoutedClaim)
            .Set("$dev_eui", ToDb(devEui))
            .Set("$tenant_id", tenantId)
            .ExecuteNonQuery() == 1, cancellationToken);

    public Task<IReadOnlyList<RoutedClaim>> ListRoutedClaimsAsync(string tenantId, DevEui? after, int limit, CancellationToken cancellationToken) =>
        Read((tenantId, after, limit), static (db, query) =>
            ListInUnsignedOrder(db.Command(SqliteSql.SelectRoutedClaims).Set("$tenant_id", query.tenantId), query.after, query.limit, SqliteRows.ReadRoutedClaim));

    public Task<bool> IsDevNonceUsedAsync(DevEui devEui, DevNonce devNonce, CancellationToken cancellationToken) =>
        Read((devEui, devNonce), static (db, key) => (long)db.Command(SqliteSql.SelectDevNonceUsed)
            .Set("$dev_eui", ToDb(key.devEui))
            .Set("$dev_nonce", (long)key.devNonce.Value)
            .ExecuteScalar()! == 1);

    public Task<JoinCommitResult> CommitJoinAsync(JoinCommit commit, CancellationToken cancellationToken) =>
        _writer.Enqueue(new CommitJoinWork(commit, cancellationToken));

    public Task<Device?> ResetDevNoncesAsync(DevEui devEui, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var key = ToDb(devEui);
            if (db.Command(SqliteSql.ResetLastDevNonce).Set("$dev_eui", key).ExecuteNonQuery() == 0)
            {
                return null;
            }
            db.Command(SqliteSql.DeleteDevNonces).Set("$dev_eui", key).ExecuteNonQuery();
            return SelectDevice(db, devEui);
        }, cancellationToken);

    public Task<JoinSession?> GetSessionAsync(DevEui devEui, ReadOnlyMemory<byte> sessionKeyId, CancellationToken cancellationToken) =>
        Read((devEui, Blob(sessionKeyId)), static (db, key) => Single(
            db.Command(SqliteSql.SelectSession).Set("$dev_eui", ToDb(key.devEui)).Set("$session_key_id", key.Item2),
            SqliteRows.ReadSession));

    public Task<DeviceCounts> CountDevicesAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) =>
        {
            using var reader = db.Command(SqliteSql.CountDevices).ExecuteReader();
            reader.Read();
            var all = reader.GetInt64(0);
            var claimed = reader.GetInt64(1);
            return new DeviceCounts(all - claimed, claimed);
        });

    // Events.

    public Task<long> AppendEventAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var command = db.Command(SqliteSql.InsertEventReturningId);
            SqliteRows.BindEvent(command, auditEvent);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken);

    /// <summary>Appends the events in order, in one transaction.</summary>
    public Task AppendEventsAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var command = db.Command(SqliteSql.InsertEvent);
            foreach (var auditEvent in auditEvents)
            {
                SqliteRows.BindEvent(command, auditEvent);
                command.ExecuteNonQuery();
            }
            return auditEvents.Count;
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEvent>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) =>
        Read(query, static (db, query) =>
        {
            var command = query.DevEui is { } devEui
                ? db.Command(SqliteSql.SelectDeviceEvents).Set("$dev_eui", ToDb(devEui))
                : db.Command(SqliteSql.SelectEvents);
            command.Set("$tenant_id", query.TenantId)
                .Set("$before", query.BeforeId ?? long.MaxValue)
                .Set("$limit", (long)Math.Max(0, query.Limit));
            return List(command, SqliteRows.ReadEvent);
        });

    private static Device? SelectDevice(SqliteHandle db, DevEui devEui) =>
        Single(db.Command(SqliteRows.SelectDevice).Set("$dev_eui", ToDb(devEui)), SqliteRows.ReadDevice);

    /// <summary>
    /// Up to <paramref name="limit"/> rows after <paramref name="after"/> in unsigned DevEUI order: the command (with
    /// its key set) runs once per stored range, at most twice, each an index range already in order.
    /// </summary>
    private static IReadOnlyList<T> ListInUnsignedOrder<T>(SqliteCommand command, DevEui? after, int limit, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>(Math.Clamp(limit, 0, 1024));
        foreach (var (from, to) in StoredDevEuiRanges.After(after))
        {
            if (rows.Count >= limit)
            {
                break;
            }
            command.Set("$from", from).Set("$to", to).Set("$limit", (long)(limit - rows.Count));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }
        }
        return rows;
    }

    private static IReadOnlyList<T> List<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static T? Single<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
        where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : null;
    }

    /// <summary>
    /// Runs a read on a rented read connection, synchronously (SQLite has no asynchronous I/O; an await would
    /// only add a hop). Static lambdas with explicit state keep the hot reads free of closure allocations.
    /// </summary>
    private Task<T> Read<TState, T>(TState state, Func<SqliteHandle, TState, T> read)
    {
        var db = _readers.Rent();
        try
        {
            return Task.FromResult(read(db, state));
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
        finally
        {
            _readers.Return(db);
        }
    }

    [GeneratedRegex("^[a-z_]+$")]
    private static partial Regex PragmaName();
}

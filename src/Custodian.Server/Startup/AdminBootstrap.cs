using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Configuration;
using Custodian.Server.Custody;
using Custodian.Server.Logging;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Startup;

/// <summary>
/// Makes sure an admin API key exists: <c>Custodian:AdminKey</c> when configured, else, on a store with no admin
/// key, a generated one for the <see cref="Tenant.OperatorId"/> tenant, printed once to standard output and written
/// to <c>&lt;DataDirectory&gt;/admin-key.txt</c>. Never logged.
/// <para>
/// The store remembers every key the configuration has named. A key named for the first time is stored and retires
/// the keys this class made before (earlier configured keys and the generated one); a key named again that is no
/// longer stored was revoked through the API and stays revoked.
/// </para>
/// </summary>
internal sealed class AdminBootstrap(ICustodianStore store, IOptions<CustodianOptions> options, TimeProvider time, ILogger<AdminBootstrap> logger)
{
    public const string ConfiguredName = "admin (Custodian:AdminKey)";
    public const string GeneratedName = "admin (generated)";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AdminKey is { } configured)
        {
            await ConfiguredAsync(configured, cancellationToken);
            return;
        }
        if (await store.HasAdminKeyAsync(cancellationToken))
        {
            return;
        }
        await GenerateAsync(cancellationToken);
    }

    private async Task ConfiguredAsync(string configured, CancellationToken cancellationToken)
    {
        var hash = SecretToken.Hash(configured);
        var named = await store.RememberConfiguredAdminKeyAsync(hash, time.GetUtcNow(), cancellationToken);
        var stored = await store.FindApiKeyAsync(hash, cancellationToken);
        if (!named)
        {
            if (stored is null)
            {
                AdminKeyLog.ConfiguredKeyRevoked(logger);
            }
            return;
        }
        if (stored is null)
        {
            stored = await StoreAsync(configured, ConfiguredName, cancellationToken);
            ServerLog.AdminKeyConfigured(logger, stored.Id);
        }
        await RetireEarlierKeysAsync(stored.Id, cancellationToken);
    }

    /// <summary>The admin keys this class made before the configured one (never one an admin created through the API).</summary>
    private async Task RetireEarlierKeysAsync(string currentId, CancellationToken cancellationToken)
    {
        foreach (var key in await store.ListApiKeysAsync(Tenant.OperatorId, cancellationToken))
        {
            if (key.Id != currentId && key.Name is ConfiguredName or GeneratedName
                && await store.DeleteApiKeyAsync(Tenant.OperatorId, key.Id, cancellationToken) == ApiKeyDeletion.Deleted)
            {
                AdminKeyLog.EarlierKeyRetired(logger, key.Id, key.Name);
            }
        }
        var generatedFile = Path.GetFullPath(options.Value.AdminKeyPath);
        if (File.Exists(generatedFile))
        {
            File.Delete(generatedFile); // it holds the generated key, retired above
        }
    }

    private async Task GenerateAsync(CancellationToken cancellationToken)
    {
        var key = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        var created = await StoreAsync(key, GeneratedName, cancellationToken);
        var path = Path.GetFullPath(options.Value.AdminKeyPath);
        if (File.Exists(path))
        {
            File.Delete(path); // a key file left from an earlier, emptied store is stale
        }
        SecretFile.Write(path, key + "\n");
        // Printed, not logged: logs are collected and kept, and must never hold a key.
        await Console.Out.WriteLineAsync($"Custodian admin API key (shown once; also in {path}):{Environment.NewLine}{key}");
        ServerLog.AdminKeyGenerated(logger, Tenant.OperatorId, created.Id, path);
    }

    private async Task<ApiKeyRecord> StoreAsync(string key, string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.CreateTenantAsync(new Tenant(Tenant.OperatorId, "Operator", now), cancellationToken);
        var record = new ApiKeyRecord(SecretToken.NewId("key_"), Tenant.OperatorId, name, ApiRights.All, SecretToken.Hash(key), now);
        await store.CreateApiKeyAsync(record, cancellationToken);
        return record;
    }
}

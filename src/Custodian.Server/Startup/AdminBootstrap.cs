using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Configuration;
using Custodian.Server.Custody;
using Custodian.Server.Logging;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Startup;

/// <summary>
/// Makes sure an admin API key exists: <c>Custodian:AdminKey</c> when configured (its hash stored if new),
/// else, on a store with no admin key, a generated one for the <see cref="Tenant.OperatorId"/> tenant, printed
/// once to standard output and written to <c>&lt;DataDirectory&gt;/admin-key.txt</c>. Never logged.
/// </summary>
internal sealed class AdminBootstrap(ICustodianStore store, IOptions<CustodianOptions> options, TimeProvider time, ILogger<AdminBootstrap> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.AdminKey;
        if (configured is not null)
        {
            if (await store.FindApiKeyAsync(SecretToken.Hash(configured), cancellationToken) is null)
            {
                var record = await StoreAsync(configured, "admin (Custodian:AdminKey)", cancellationToken);
                ServerLog.AdminKeyConfigured(logger, record.Id);
            }
            return;
        }
        if (await store.HasAdminKeyAsync(cancellationToken))
        {
            return;
        }
        var key = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        var created = await StoreAsync(key, "admin (generated)", cancellationToken);
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

using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>/api/v1/tenants</c>: tenants and their API keys (admin only). A key is shown once, when created; lists show
/// what it is, never the key. A revoked key is refused from the next request on: authentication reads the store
/// every time, with no cache.
/// </summary>
internal static partial class TenantsApi
{
    public const int MaxNameLength = 100;

    public static void MapTenantsApi(this IEndpointRouteBuilder api)
    {
        var tenants = api.MapGroup("/tenants").RequireRight(ApiRights.Admin);
        tenants.MapPost("/", CreateTenantAsync);
        tenants.MapGet("/", ListTenantsAsync);
        tenants.MapPatch("/{id}", TenantBlocksApi.PatchTenantAsync);
        tenants.MapPost("/{id}/api-keys", CreateApiKeyAsync);
        tenants.MapGet("/{id}/api-keys", ListApiKeysAsync);
        tenants.MapDelete("/{id}/api-keys/{keyId}", RevokeApiKeyAsync);
        tenants.MapPatch("/{id}/api-keys/{keyId}", PatchApiKeyAsync);
    }

    /// <summary><see cref="DevEuiPrefixes"/>: the DevEUI blocks (<c>EUI/length</c>) the tenant may provision in; none by default.</summary>
    public sealed record CreateTenantRequest(string? Id, string? Name, IReadOnlyList<string>? DevEuiPrefixes = null);

    public sealed record TenantResponse(string Id, string Name, DateTimeOffset CreatedAt, IReadOnlyList<string>? DevEuiPrefixes = null);

    /// <summary><see cref="Next"/> is null on the last page; otherwise pass it as <c>after</c>.</summary>
    public sealed record TenantListResponse(
        IReadOnlyList<TenantResponse> Tenants,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

    /// <summary><see cref="ClientCertificate"/> (PEM): the key may also be presented as this TLS client certificate (mTLS endpoint).</summary>
    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Rights, string? ClientCertificate = null);

    /// <summary><see cref="CertificateThumbprint"/>: the SHA-256 (hex) of the client certificate's DER bytes, when one was given.</summary>
    public sealed record ApiKeyResponse(string Id, string TenantId, string Name, IReadOnlyList<string> Rights, string Key, string? CertificateThumbprint = null);

    /// <summary>A key as listed: what it is and may do, and its own limits (null members: the defaults), never the key or its hash.</summary>
    public sealed record ApiKeyItem(
        string Id, string TenantId, string Name, IReadOnlyList<string> Rights, DateTimeOffset CreatedAt, string? CertificateThumbprint, ApiKeyLimitsBody Limits)
    {
        public static ApiKeyItem Of(ApiKeyRecord key, ApiKeyLimits limits) =>
            new(key.Id, key.TenantId, key.Name, key.Rights.ToNames(), key.CreatedAt, PeersApi.Hex(key.CertificateThumbprint), ApiKeyLimitsBody.Of(limits));
    }

    public sealed record ApiKeyListResponse(IReadOnlyList<ApiKeyItem> ApiKeys);

    private static async Task<IResult> CreateTenantAsync(
        HttpRequest request, JsonBody json, ICustodianStore store, TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<CreateTenantRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (body.Id is not { } id || !TenantId().IsMatch(id))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "id: a tenant id is 2 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"name: required, 1 to {MaxNameLength} characters.");
        }
        if (!TenantBlocksApi.TryRead(body.DevEuiPrefixes, out var blocks, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        // Checked before the tenant is made, and again (atomically) when the blocks are stored.
        if (await TenantBlocksApi.FindConflictAsync(id, blocks, store, cancellationToken) is { } taken)
        {
            return CustodianProblems.Result(taken);
        }
        var tenant = new Tenant(id, body.Name.Trim(), time.GetUtcNow());
        if (!await store.CreateTenantAsync(tenant, cancellationToken))
        {
            return CustodianProblems.Result(CustodianErrors.TenantExists, $"id: tenant '{id}' exists.");
        }
        if (blocks.Blocks.Count > 0 && TenantBlocksApi.Refusal(await store.SetDevEuiBlocksAsync(id, blocks, cancellationToken)) is { } refused)
        {
            return CustodianProblems.Result(refused);
        }
        ServerLog.TenantCreated(logger, id);
        return TypedResults.Created($"/api/v1/tenants/{id}", new TenantResponse(tenant.Id, tenant.Name, tenant.CreatedAt, TenantBlocksApi.Texts(blocks)));
    }

    private static async Task<IResult> CreateApiKeyAsync(
        string id, HttpRequest request, JsonBody json, ICustodianStore store, TimeProvider time, ILogger<RestApi> logger)
    {
        var (body, failure) = await json.ReadAsync<CreateApiKeyRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"name: required, 1 to {MaxNameLength} characters.");
        }
        if (body.Rights is not { Count: > 0 } names)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, $"rights: give at least one of {string.Join(", ", ApiRightNames.All)}.");
        }
        if (!ApiRightNames.TryParse(names, out var rights, out var rightsError))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "rights: " + rightsError);
        }
        byte[]? thumbprint = null;
        if (body.ClientCertificate is { } pem && !PeersApi.TryReadCertificate(pem, time.GetUtcNow(), out thumbprint, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await store.GetTenantAsync(id, cancellationToken) is null)
        {
            return CustodianProblems.Result(CustodianErrors.TenantNotFound, $"No tenant '{id}'.");
        }
        if (thumbprint is not null && await store.FindApiKeyByCertificateAsync(thumbprint, cancellationToken) is not null)
        {
            return CustodianProblems.Result(CustodianErrors.ApiKeyCertificateExists, $"clientCertificate: another API key has the certificate with SHA-256 {Convert.ToHexString(thumbprint)}.");
        }
        var key = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        // byte[] converts to ReadOnlyMemory<byte>? implicitly even when null: without the cast, "no certificate" would be an empty thumbprint.
        var record = new ApiKeyRecord(SecretToken.NewId("key_"), id, body.Name.Trim(), rights, SecretToken.Hash(key), time.GetUtcNow(),
            thumbprint is { } print ? print : (ReadOnlyMemory<byte>?)null);
        await store.CreateApiKeyAsync(record, cancellationToken);
        ServerLog.ApiKeyCreated(logger, record.Id, id, string.Join(' ', rights.ToNames()));
        return TypedResults.Created(
            $"/api/v1/tenants/{id}/api-keys/{record.Id}",
            new ApiKeyResponse(record.Id, id, record.Name, rights.ToNames(), key, thumbprint is null ? null : Convert.ToHexString(thumbprint)));
    }

    private static async Task<IResult> ListTenantsAsync(string? after, string? limit, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (!Paging.TryReadLimit(limit, out var pageSize, out var failure))
        {
            return CustodianProblems.Result(failure);
        }
        var (page, last) = Paging.Cut(await store.ListTenantsAsync(after, pageSize + 1, cancellationToken), pageSize);
        var blocks = (await store.ListDevEuiBlocksAsync(cancellationToken)).ToLookup(b => b.TenantId, b => b.Block.ToString(), StringComparer.Ordinal);
        return TypedResults.Ok(new TenantListResponse([.. page.Select(t => new TenantResponse(t.Id, t.Name, t.CreatedAt, [.. blocks[t.Id]]))], last?.Id));
    }

    private static async Task<IResult> ListApiKeysAsync(string id, ICustodianStore store, CancellationToken cancellationToken)
    {
        if (await store.GetTenantAsync(id, cancellationToken) is null)
        {
            return CustodianProblems.Result(CustodianErrors.TenantNotFound, $"No tenant '{id}'.");
        }
        var keys = await store.ListApiKeysAsync(id, cancellationToken);
        var items = new List<ApiKeyItem>(keys.Count);
        foreach (var key in keys)
        {
            items.Add(ApiKeyItem.Of(key, await store.GetApiKeyLimitsAsync(key.Id, cancellationToken)));
        }
        return TypedResults.Ok(new ApiKeyListResponse(items));
    }

    /// <summary>Revokes a key, the caller's own included, but never the last admin key: nobody could manage the server after it.</summary>
    private static async Task<IResult> RevokeApiKeyAsync(
        string id, string keyId, CallerContext caller, ICustodianStore store, ILogger<RestApi> logger, CancellationToken cancellationToken)
    {
        switch (await store.DeleteApiKeyAsync(id, keyId, cancellationToken))
        {
            case ApiKeyDeletion.Deleted:
                ServerLog.ApiKeyRevoked(logger, keyId, id, caller.KeyId);
                return TypedResults.NoContent();
            case ApiKeyDeletion.LastAdminKey:
                return CustodianProblems.Result(CustodianErrors.LastAdminKey,
                    $"API key '{keyId}' is the last key with the admin right: create another admin key before revoking it.");
            default:
                return CustodianProblems.Result(CustodianErrors.ApiKeyNotFound, $"Tenant '{id}' has no API key '{keyId}'.");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,63}$")]
    private static partial Regex TenantId();
}

using System.Text.RegularExpressions;
using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary><c>/api/v1/tenants</c>: tenants and their API keys (admin only).</summary>
internal static partial class TenantsApi
{
    public const int MaxNameLength = 100;

    public static void MapTenantsApi(this IEndpointRouteBuilder api)
    {
        var tenants = api.MapGroup("/tenants").RequireRight(ApiRights.Admin);
        tenants.MapPost("/", CreateTenantAsync);
        tenants.MapPost("/{id}/api-keys", CreateApiKeyAsync);
    }

    public sealed record CreateTenantRequest(string? Id, string? Name);

    public sealed record TenantResponse(string Id, string Name, DateTimeOffset CreatedAt);

    /// <summary><see cref="ClientCertificate"/> (PEM): the key may also be presented as this TLS client certificate (mTLS endpoint).</summary>
    public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Rights, string? ClientCertificate = null);

    /// <summary><see cref="CertificateThumbprint"/>: the SHA-256 (hex) of the client certificate's DER bytes, when one was given.</summary>
    public sealed record ApiKeyResponse(string Id, string TenantId, string Name, IReadOnlyList<string> Rights, string Key, string? CertificateThumbprint = null);

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
            return CustodianProblems.Result(Errors.InvalidField, "id: a tenant id is 2 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > MaxNameLength)
        {
            return CustodianProblems.Result(Errors.InvalidField, $"name: required, 1 to {MaxNameLength} characters.");
        }
        var tenant = new Tenant(id, body.Name.Trim(), time.GetUtcNow());
        if (!await store.CreateTenantAsync(tenant, request.HttpContext.RequestAborted))
        {
            return CustodianProblems.Result(Errors.TenantExists, $"id: tenant '{id}' exists.");
        }
        ServerLog.TenantCreated(logger, id);
        return TypedResults.Created($"/api/v1/tenants/{id}", new TenantResponse(tenant.Id, tenant.Name, tenant.CreatedAt));
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
            return CustodianProblems.Result(Errors.InvalidField, $"name: required, 1 to {MaxNameLength} characters.");
        }
        if (body.Rights is not { Count: > 0 } names)
        {
            return CustodianProblems.Result(Errors.InvalidField, $"rights: give at least one of {string.Join(", ", ApiRightNames.All)}.");
        }
        if (!ApiRightNames.TryParse(names, out var rights, out var rightsError))
        {
            return CustodianProblems.Result(Errors.InvalidField, "rights: " + rightsError);
        }
        byte[]? thumbprint = null;
        if (body.ClientCertificate is { } pem && !PeersApi.TryReadCertificate(pem, out thumbprint, out failure))
        {
            return CustodianProblems.Result(failure);
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        if (await store.GetTenantAsync(id, cancellationToken) is null)
        {
            return CustodianProblems.Result(Errors.TenantNotFound, $"No tenant '{id}'.");
        }
        if (thumbprint is not null && await store.FindApiKeyByCertificateAsync(thumbprint, cancellationToken) is not null)
        {
            return CustodianProblems.Result(Errors.ApiKeyCertificateExists, $"clientCertificate: another API key has the certificate with SHA-256 {Convert.ToHexString(thumbprint)}.");
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

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{1,63}$")]
    private static partial Regex TenantId();
}

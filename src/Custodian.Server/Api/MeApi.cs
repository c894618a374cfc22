using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Auth;

namespace Custodian.Server.Api;

/// <summary><c>GET /api/v1/me</c> (any valid API key): whose key this is and what it may do, so a client can say who is signed in.</summary>
internal static class MeApi
{
    public static void MapMeApi(this IEndpointRouteBuilder api) => api.MapGet("/me", DescribeAsync);

    public sealed record NamedItem(string Id, string Name);

    public sealed record MeResponse(NamedItem Tenant, NamedItem ApiKey, IReadOnlyList<string> Rights);

    private static async Task<IResult> DescribeAsync(CallerContext caller, ICustodianStore store, CancellationToken cancellationToken)
    {
        var tenant = await store.GetTenantAsync(caller.TenantId, cancellationToken);
        var keys = await store.ListApiKeysAsync(caller.TenantId, cancellationToken);
        var key = keys.FirstOrDefault(k => k.Id == caller.KeyId);
        // The key was just authenticated, so both exist; a concurrent revocation only loses the names.
        return TypedResults.Ok(new MeResponse(
            new NamedItem(caller.TenantId, tenant?.Name ?? caller.TenantId),
            new NamedItem(caller.KeyId, key?.Name ?? caller.KeyId),
            caller.Rights.ToNames()));
    }
}

using System.Reflection;
using Custodian.Core.Claims;
using Custodian.Core.Tenancy;

namespace Custodian.Server.Auth;

/// <summary>
/// Who calls the REST API: the tenant and key behind the bearer API key, and its rights. Set by
/// <see cref="ApiKeyAuthenticationMiddleware"/> on every <c>/api</c> request; a handler takes it as a parameter.
/// </summary>
public sealed record CallerContext(string TenantId, string KeyId, ApiRights Rights)
{
    /// <summary>How audit events name this caller.</summary>
    public string Actor => $"apikey:{KeyId}";

    /// <summary>The key's own limits, where an admin set them (<c>PATCH /api/v1/tenants/{id}/api-keys/{keyId}</c>).</summary>
    public ApiKeyLimits Limits { get; init; } = ApiKeyLimits.Default;

    /// <summary>The caller as the claim policy sees it: its tenant, its key's budget.</summary>
    public Claimant Claimant => new(TenantId, Actor) { KeyId = KeyId, WrongCodesPerHour = Limits.WrongCodesPerHour };

    public bool Has(ApiRights right) => Rights.Grants(right);

    /// <summary>Minimal API binding: the caller the middleware authenticated.</summary>
    public static ValueTask<CallerContext?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Features.Get<CallerContext>());
}

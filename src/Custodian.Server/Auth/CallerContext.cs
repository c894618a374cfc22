using System.Reflection;
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

    public bool Has(ApiRights right) => Rights.Grants(right);

    /// <summary>Minimal API binding: the caller the middleware authenticated.</summary>
    public static ValueTask<CallerContext?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Features.Get<CallerContext>());
}

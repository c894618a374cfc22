using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Logging;
using Custodian.Server.Problems;
using Microsoft.Net.Http.Headers;

namespace Custodian.Server.Auth;

/// <summary>
/// Authenticates every <c>/api</c> request by its <c>Authorization: Bearer &lt;api key&gt;</c>: the key's SHA-256
/// is looked up in the store. No key or an unknown one is a 401 problem; otherwise the
/// <see cref="CallerContext"/> goes into the request's features. Rights are checked per endpoint (<see cref="RightsFilter"/>).
/// </summary>
internal sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, ICustodianStore store, ILogger<ApiKeyAuthenticationMiddleware> logger)
{
    private const string Scheme = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            await RefuseAsync(context, "No API key was presented: send 'Authorization: Bearer <api key>'.");
            return;
        }
        var key = await store.FindApiKeyAsync(SecretToken.Hash(header[Scheme.Length..].Trim()), context.RequestAborted);
        if (key is null)
        {
            await RefuseAsync(context, "The API key is not known (revoked, mistyped or from another server).");
            return;
        }
        context.Features.Set(new CallerContext(key.TenantId, key.Id, key.Rights));
        await next(context);
    }

    private async Task RefuseAsync(HttpContext context, string detail)
    {
        ServerLog.AuthenticationFailed(logger, detail);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        await CustodianProblems.Result(Errors.Unauthenticated, detail).ExecuteAsync(context);
    }
}

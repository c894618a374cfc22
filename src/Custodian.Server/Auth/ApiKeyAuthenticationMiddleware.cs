using System.Security.Cryptography;
using Custodian.Core.Errors;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Server.Api;
using Custodian.Server.Logging;
using Custodian.Server.Problems;
using Microsoft.Net.Http.Headers;

namespace Custodian.Server.Auth;

/// <summary>
/// Authenticates every <c>/api</c> request by its <c>Authorization: Bearer &lt;api key&gt;</c>: the key's SHA-256
/// is looked up in the store. A request without that header, over the mTLS endpoint (<c>Custodian:Tls</c>) with a
/// client certificate, is the key that certificate is registered on (the SHA-256 of its DER bytes, as peers are).
/// No key or an unknown one is a 401 problem; otherwise the <see cref="CallerContext"/> goes into the request's features. Rights are checked per endpoint (<see cref="RightsFilter"/>).
/// </summary>
internal sealed class ApiKeyAuthenticationMiddleware(RequestDelegate next, ICustodianStore store, ILogger<ApiKeyAuthenticationMiddleware> logger)
{
    private const string Scheme = "Bearer ";

    public async Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        ApiKeyRecord? key;
        if (header.Length == 0 && context.Connection.ClientCertificate is { } certificate)
        {
            // No bearer key, a TLS client certificate (the mTLS endpoint): the key it is registered on.
            key = await store.FindApiKeyByCertificateAsync(SHA256.HashData(certificate.RawData), context.RequestAborted);
            if (key is null)
            {
                await RefuseAsync(context, "The client certificate is not registered on an API key (clientCertificate of POST /api/v1/tenants/{id}/api-keys).");
                return;
            }
            ClaimRoutingLog.CertificateAuthenticated(logger, key.Id, key.TenantId);
        }
        else if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            await RefuseAsync(context, "No API key was presented: send 'Authorization: Bearer <api key>', or a registered client certificate over TLS.");
            return;
        }
        else
        {
            key = await store.FindApiKeyAsync(SecretToken.Hash(header[Scheme.Length..].Trim()), context.RequestAborted);
            if (key is null)
            {
                await RefuseAsync(context, "The API key is not known (revoked, mistyped or from another server).");
                return;
            }
        }
        // The limits an admin set for this key (claim request rate, wrong-code budget), read with the key.
        var limits = await store.GetApiKeyLimitsAsync(key.Id, context.RequestAborted);
        context.Features.Set(new CallerContext(key.TenantId, key.Id, key.Rights) { Limits = limits });
        await next(context);
    }

    private async Task RefuseAsync(HttpContext context, string detail)
    {
        ServerLog.AuthenticationFailed(logger, detail);
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        if (V2ClaimApi.Serves(context.Request.Path))
        {
            // The v2 claim API answers in its own error shape.
            await V2ClaimApi.Error(StatusCodes.Status401Unauthorized, detail, CustodianErrors.Unauthenticated.Code).ExecuteAsync(context);
            return;
        }
        await CustodianProblems.Result(CustodianErrors.Unauthenticated, detail).ExecuteAsync(context);
    }
}

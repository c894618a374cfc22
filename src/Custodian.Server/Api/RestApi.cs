using Custodian.Server.Auth;
using Custodian.Server.Maintenance;
using Custodian.Server.DeviceRepository;

namespace Custodian.Server.Api;

/// <summary>The REST API v1 under <c>/api/v1</c>, every call authenticated by an API key; also the API's log category.</summary>
internal sealed class RestApi
{
    public const string Prefix = "/api";

    public static void Map(WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Prefix),
            api =>
            {
                // Many answers carry a secret shown once (keys, tokens, claim codes, labels): no API answer is ever
                // worth keeping in a cache or proxy, so every one says so, errors included. A handler may override.
                api.Use((context, next) =>
                {
                    context.Response.Headers.CacheControl = "no-store";
                    return next(context);
                });
                api.UseMiddleware<ApiKeyAuthenticationMiddleware>();
                // After authentication: the claim limits are per API key (Claims/ClaimRateLimiting.cs). Every
                // rate-limited route is under /api (v1 and v2), so the rest (/healthz, joins, the console) skip it.
                api.UseRateLimiter();
            });
        var v1 = app.MapGroup(Prefix + "/v1");
        v1.MapTenantsApi();
        v1.MapPeersApi();
        v1.MapDevicesApi();
        v1.MapEventsApi();
        v1.MapQrApi();
        v1.MapClaimsApi();
        v1.MapJoinEuisApi();
        v1.MapMaintenanceApi(); // KEK rewrap and backups: see Maintenance/MaintenanceApi.cs
        v1.MapMeApi();
        v1.MapDeviceRepositoryApi();
        app.MapV2ClaimApi(); // The Things Join Server v2 claim API: see Api/V2ClaimApi.cs
    }
}

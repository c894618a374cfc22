using Custodian.Core.Custody;
using Custodian.Core.Joins;
using Custodian.Core.Storage;
using Custodian.Server.Configuration;
using Custodian.Server.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Custodian.Server.BackendInterfaces;

/// <summary>Wires the Join Server (LoRaWAN Backend Interfaces) into the host.</summary>
public static class JoinServerSetup
{
    public const string Path = "/backend-interfaces";

    /// <summary>
    /// Registers the Join Server over the store, the key ring and the clock the host registers
    /// (<see cref="ICustodianStore"/>, <see cref="KeyRing"/>, <see cref="TimeProvider"/>), with <c>Custodian:SessionLifetime</c>
    /// (validated with the other <see cref="CustodianOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddJoinServer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<CustodianMetrics>();
        services.AddSingleton(sp => new JoinServer(
            sp.GetRequiredService<ICustodianStore>(),
            sp.GetRequiredService<KeyRing>(),
            new JoinServerOptions { SessionLifetime = Clamp(sp.GetRequiredService<IOptions<CustodianOptions>>().Value.SessionLifetime) },
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<JoinMetrics>();
        services.AddSingleton<IValidateOptions<CustodianOptions>, BackendInterfacesOptionsValidator>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<PeerAuthenticator>();
        services.AddSingleton<BackendInterfacesEndpoint>();
        services.AddSingleton<IStartupFilter, DoubledSlashPath>();
        return builder;
    }

    /// <summary>
    /// <c>POST /backend-interfaces</c>: every Backend Interfaces request, dispatched on its MessageType. Also on
    /// <c>POST /</c> (The Things Stack with its <c>paths</c> unset; ChirpStack when it finds the Join Server by its
    /// JoinEUI in DNS) and <c>POST //backend-interfaces</c> (The Things Stack puts a <c>/</c> before a configured
    /// path, so <c>/backend-interfaces</c> becomes <c>//backend-interfaces</c>). The console is GET-only at <c>/</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapBackendInterfaces(this IEndpointRouteBuilder app)
    {
        // Resolved on the first request, not at start: the store behind it may be opened after mapping.
        var endpoint = new Lazy<BackendInterfacesEndpoint>(app.ServiceProvider.GetRequiredService<BackendInterfacesEndpoint>);
        // A plain RequestDelegate: no parameter binding to generate or run on the hot path.
        RequestDelegate handle = context => endpoint.Value.HandleAsync(context);
        app.MapPost(Path, handle);
        app.MapPost("/", handle);
        return app;
    }

    /// <summary>JoinAns carries Lifetime as 32-bit seconds: a longer one (136 years) is capped there.</summary>
    private static TimeSpan Clamp(TimeSpan lifetime) => lifetime.TotalSeconds > uint.MaxValue ? TimeSpan.FromSeconds(uint.MaxValue) : lifetime;

    /// <summary>
    /// Reads <c>POST //backend-interfaces</c> as <c>POST /backend-interfaces</c>, before routing: routing sees an empty
    /// first segment there, and a catch-all route would answer 405 instead of 404 to every unknown path.
    /// </summary>
    private sealed class DoubledSlashPath : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Value == "/" + Path)
                {
                    context.Request.Path = Path;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

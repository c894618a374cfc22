using Custodian.Server.BackendInterfaces;

namespace Custodian.Server;

/// <summary>Builds the Custodian web application; <c>Program.cs</c> only runs it.</summary>
public static class CustodianApp
{
    /// <summary>Where the server listens when neither <c>--urls</c> nor the environment says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <param name="args">Command-line arguments (configuration, <c>--urls</c>).</param>
    /// <param name="configureServices">Runs after the server's own registrations, so tests can replace services.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (!HasListenAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.AddBackendInterfacesTls();
        builder.AddJoinServer(); // Join Server (Backend Interfaces): see BackendInterfaces/JoinServerSetup.cs
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")));
        app.MapBackendInterfaces(); // Join Server (Backend Interfaces): see BackendInterfaces/JoinServerSetup.cs
        return app;
    }

    // --urls, ASPNETCORE_URLS and ASPNETCORE_HTTP(S)_PORTS all end up in these keys.
    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey]);
}

/// <summary>The body of <c>GET /healthz</c>.</summary>
public sealed record HealthStatus(string Status);

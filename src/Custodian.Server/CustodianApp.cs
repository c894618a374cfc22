using System.Text.Json.Serialization;
using Custodian.Core.Devices;
using Custodian.Server.Api;
using Custodian.Server.BackendInterfaces;
using Custodian.Server.Claims;
using Custodian.Server.Configuration;
using Custodian.Server.Makers;
using Custodian.Server.Custody;
using Custodian.Server.Maintenance;
using Custodian.Server.DeviceRepository;
using Custodian.Server.Observability;
using Custodian.Server.OpenApi;
using Custodian.Server.Problems;
using Custodian.Server.Startup;
using Custodian.Server.Storage;
using Custodian.Server.WebConsole;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        // appsettings.json lies beside the binaries; the working directory only anchors a relative DataDirectory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        LoggingDefaults.Apply(builder.Configuration); // no request logging unless configured: see Startup/LoggingDefaults.cs
        if (!HasListenAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        TlsEndpoint.Configure(builder);
        MetricsEndpoint.Configure(builder); // Custodian:Metrics:Url, /metrics on an address of its own
        AddCustodian(builder.Services);
        builder.AddJoinServer(); // Join Server (Backend Interfaces): see BackendInterfaces/JoinServerSetup.cs
        builder.AddClaiming(); // claims, unclaims, routing: see Claims/ClaimingSetup.cs
        builder.Services.AddMaintenance(); // retention, KEK rewrap, backups: see Maintenance/MaintenanceSetup.cs
        builder.Services.AddDeviceRepository(); // names scanned devices: see DeviceRepository/DeviceCatalog.cs
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok")));
        app.MapMetrics();
        app.MapCustodianOpenApi(); // the published contract: see OpenApi/ApiContract.cs
        app.UseWebConsole(); // the web console at /: see WebConsole/WebConsoleHosting.cs
        app.MapFirstRun(); // where the admin key is, for the console's sign-in page: see WebConsole/FirstRunApi.cs
        RestApi.Map(app);
        app.MapBackendInterfaces(); // Join Server (Backend Interfaces): see BackendInterfaces/JoinServerSetup.cs
        return app;
    }

    private static void AddCustodian(IServiceCollection services)
    {
        services.AddOptions<CustodianOptions>().BindConfiguration(CustodianOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CustodianOptions>, CustodianOptionsValidator>();
        services.AddProblemDetails();
        services.AddExceptionHandler<GlobalExceptionHandler>();
        services.AddCustodianOpenApi();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => StoreFactory.Create(Options(sp), sp.GetRequiredService<TimeProvider>(), Logger(sp, typeof(StoreFactory))));
        services.AddSingleton(sp => KeyRingLoader.Load(Options(sp), Logger(sp, typeof(KeyRingLoader))));
        services.AddSingleton<CustodianMetrics>();
        services.AddSingleton<DeviceGauge>();
        services.AddSingleton<AdminBootstrap>();
        services.AddSingleton<DeviceProvisioning>();
        services.AddSingleton<DeviceProvisioner>();
        services.AddSingleton<JsonBody>();
        services.AddMakers(); // provisioning rate, one import at a time: see Makers/MakersSetup.cs
        services.AddHostedService<StartupTasks>();
    }

    private static CustodianOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<CustodianOptions>>().Value;

    private static ILogger Logger(IServiceProvider services, Type category) => services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    // --urls, ASPNETCORE_URLS and ASPNETCORE_HTTP(S)_PORTS all end up in these keys.
    private static bool HasListenAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey]);
}

/// <summary>The body of <c>GET /healthz</c>.</summary>
public sealed record HealthStatus(string Status);

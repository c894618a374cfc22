namespace Custodian.Server.Observability;

/// <summary>
/// <c>GET /metrics</c>: the app's registry in the Prometheus text format. Served on the main address, or, when
/// <c>Custodian:Metrics:Url</c> is set, on that address only (an address that answers nothing else), so that it can
/// be kept off the network the API is served on.
/// </summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string Path = "/metrics";
    public const string UrlKey = "Custodian:Metrics:Url";

    /// <summary>Adds <c>Custodian:Metrics:Url</c> to the addresses Kestrel listens on; a bad value stops the start here, before anything is written.</summary>
    public static void Configure(WebApplicationBuilder builder)
    {
        var text = builder.Configuration[UrlKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || url.IsDefaultPort || url.Port == 0 || url.AbsolutePath != "/")
        {
            throw new InvalidOperationException(
                $"{UrlKey}: '{text}' is not an address with a port of its own, e.g. http://127.0.0.1:9464 (no path; port 0 is not allowed).");
        }
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? CustodianApp.DefaultUrl;
        builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), text]);
        builder.Services.AddSingleton(new MetricsPort(url.Port));
    }

    public static void MapMetrics(this WebApplication app)
    {
        if (app.Services.GetService<MetricsPort>() is { } metricsPort)
        {
            // The metrics address answers /metrics only, and the other addresses never answer it.
            app.Use((context, next) =>
            {
                if ((context.Connection.LocalPort == metricsPort.Port) != (context.Request.Path == Path))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }
                return next(context);
            });
        }
        app.MapGet(Path, async (HttpContext context, CustodianMetrics metrics, DeviceGauge gauge) =>
        {
            _ = gauge; // resolving it registers the gauge and its scrape-time callback
            context.Response.ContentType = ContentType;
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }

    /// <summary>The port of <c>Custodian:Metrics:Url</c>, when set.</summary>
    private sealed record MetricsPort(int Port);
}

using Custodian.Core.Devices;
using Custodian.Core.Storage;
using Prometheus;

namespace Custodian.Server.Observability;

/// <summary><c>custodian_devices{state}</c>: devices by state, read from the store at every scrape.</summary>
internal sealed class DeviceGauge
{
    public const string Name = "custodian_devices";

    public DeviceGauge(CustodianMetrics metrics, ICustodianStore store)
    {
        var gauge = metrics.Factory.CreateGauge(Name, "Provisioned devices by state.", new GaugeConfiguration { LabelNames = ["state"] });
        var unclaimed = gauge.WithLabels(Api.DeviceResponse.StateName(DeviceState.Unclaimed));
        var claimed = gauge.WithLabels(Api.DeviceResponse.StateName(DeviceState.Claimed));
        metrics.Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            var counts = await store.CountDevicesAsync(cancellationToken);
            unclaimed.Set(counts.Unclaimed);
            claimed.Set(counts.Claimed);
        });
    }
}

/// <summary><c>GET /metrics</c>: the app's registry in the Prometheus text format.</summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (HttpContext context, CustodianMetrics metrics, DeviceGauge gauge) =>
        {
            _ = gauge; // resolving it registers the gauge and its scrape-time callback
            context.Response.ContentType = ContentType;
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}

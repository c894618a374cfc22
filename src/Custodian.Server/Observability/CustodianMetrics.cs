using Prometheus;

namespace Custodian.Server.Observability;

/// <summary>
/// The server's own Prometheus registry (one per app, so two servers in one test process do not share
/// counters). Each area defines its metrics through <see cref="Factory"/>; <c>GET /metrics</c> exports <see cref="Registry"/>.
/// </summary>
public sealed class CustodianMetrics
{
    public CustodianMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }
}

using Custodian.Core.Devices;
using Custodian.Core.Storage;
using Prometheus;

namespace Custodian.Server.Observability;

/// <summary>
/// <c>custodian_devices{state}</c>: devices by state. Counting them reads a whole index, and <c>/metrics</c> needs no
/// key, so the count is refreshed at a scrape at most once every <see cref="RefreshEvery"/>; other scrapes show the
/// last count.
/// </summary>
internal sealed class DeviceGauge
{
    public const string Name = "custodian_devices";
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly ICustodianStore _store;
    private readonly TimeProvider _time;
    private readonly Gauge.Child _unclaimed;
    private readonly Gauge.Child _claimed;
    private long _nextRefreshTicks = long.MinValue;

    public DeviceGauge(CustodianMetrics metrics, ICustodianStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        var gauge = metrics.Factory.CreateGauge(Name, "Provisioned devices by state (counted at most every 30 s).", new GaugeConfiguration { LabelNames = ["state"] });
        _unclaimed = gauge.WithLabels(Api.DeviceResponse.StateName(DeviceState.Unclaimed));
        _claimed = gauge.WithLabels(Api.DeviceResponse.StateName(DeviceState.Claimed));
        metrics.Registry.AddBeforeCollectCallback(RefreshAsync);
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextRefreshTicks);
        // One scrape of the concurrent ones claims the refresh; the others show the last count.
        if (now < next || Interlocked.CompareExchange(ref _nextRefreshTicks, now + RefreshEvery.Ticks, next) != next)
        {
            return;
        }
        try
        {
            var counts = await _store.CountDevicesAsync(cancellationToken);
            _unclaimed.Set(counts.Unclaimed);
            _claimed.Set(counts.Claimed);
        }
        catch
        {
            Interlocked.Exchange(ref _nextRefreshTicks, long.MinValue); // a failed count is tried again at the next scrape
            throw;
        }
    }
}

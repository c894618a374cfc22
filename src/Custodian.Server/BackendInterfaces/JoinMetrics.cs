using Custodian.BackendInterfaces;
using Custodian.Server.Observability;
using Prometheus;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// <c>custodian_joins_total{result}</c> and <c>custodian_join_duration_seconds</c> (JoinReq and RejoinReq),
/// and <c>custodian_backend_interfaces_requests_total{type,result}</c> for every request. The labelled
/// children are made once, so counting a join allocates nothing; a series shows once it has counted.
/// </summary>
public sealed class JoinMetrics
{
    private static readonly ResultCode[] Codes = Enum.GetValues<ResultCode>();
    private static readonly string[] Types = [MessageTypes.JoinReq, MessageTypes.RejoinReq, MessageTypes.AppSKeyReq, MessageTypes.HomeNSReq, "other"];
    private readonly Counter.Child[] _joins;
    private readonly Histogram _joinDuration;
    private readonly Counter.Child[][] _requests;

    public JoinMetrics(CustodianMetrics metrics)
    {
        var joins = metrics.Factory.CreateCounter(
            "custodian_joins_total", "Join requests answered, by Backend Interfaces ResultCode.",
            new CounterConfiguration { LabelNames = ["result"], SuppressInitialValue = true });
        _joins = [.. Codes.Select(code => joins.WithLabels(code.ToWireName()))];
        _joinDuration = metrics.Factory.CreateHistogram(
            "custodian_join_duration_seconds", "Time to answer a join request, from the body read to the answer written.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });
        var requests = metrics.Factory.CreateCounter(
            "custodian_backend_interfaces_requests_total", "Backend Interfaces requests answered, by MessageType and ResultCode.",
            new CounterConfiguration { LabelNames = ["type", "result"], SuppressInitialValue = true });
        _requests = [.. Types.Select(type => Codes.Select(code => requests.WithLabels(type, code.ToWireName())).ToArray())];
    }

    public void Record(string messageType, ResultCode result, TimeSpan duration)
    {
        if (messageType is MessageTypes.JoinReq or MessageTypes.RejoinReq)
        {
            _joins[(int)result].Inc();
            _joinDuration.Observe(duration.TotalSeconds);
        }
        _requests[TypeIndex(messageType)][(int)result].Inc();
    }

    /// <summary>Label values come from a fixed set, so a peer cannot grow the series without bound.</summary>
    private static int TypeIndex(string messageType) => messageType switch
    {
        MessageTypes.JoinReq => 0,
        MessageTypes.RejoinReq => 1,
        MessageTypes.AppSKeyReq => 2,
        MessageTypes.HomeNSReq => 3,
        _ => 4,
    };
}

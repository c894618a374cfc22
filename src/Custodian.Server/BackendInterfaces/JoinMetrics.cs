using System.Collections.Frozen;
using Custodian.BackendInterfaces;
using Custodian.Core.Joins;
using Custodian.Server.Observability;
using Prometheus;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// <c>custodian_joins_total{result,cause}</c> and <c>custodian_join_duration_seconds</c> (JoinReq and RejoinReq),
/// <c>custodian_backend_interfaces_requests_total{type,result}</c> for every request, and
/// <c>custodian_backend_interfaces_auth_failures_total{reason}</c> for requests whose credential failed (or whose
/// address had failed too often). The labelled children are made once, so counting allocates nothing; a series
/// shows once it has counted. Every label value comes from a fixed set, so a peer cannot grow the series.
/// </summary>
public sealed class JoinMetrics
{
    /// <summary>The <c>reason</c> of a request refused unread because its address failed authentication too often.</summary>
    public const string AddressBlocked = "address_blocked";

    private static readonly ResultCode[] Codes = Enum.GetValues<ResultCode>();
    private static readonly string[] Types = [MessageTypes.JoinReq, MessageTypes.RejoinReq, MessageTypes.AppSKeyReq, MessageTypes.HomeNSReq, "other"];
    private readonly FrozenDictionary<string, Counter.Child[]> _joinsByCause;
    private readonly Histogram _joinDuration;
    private readonly Counter.Child[][] _requests;
    private readonly FrozenDictionary<string, Counter.Child> _authFailures;

    public JoinMetrics(CustodianMetrics metrics)
    {
        var joins = metrics.Factory.CreateCounter(
            "custodian_joins_total", "Join requests answered, by Backend Interfaces ResultCode and the refusal's own cause (none when accepted).",
            new CounterConfiguration { LabelNames = ["result", "cause"], SuppressInitialValue = true });
        _joinsByCause = JoinErrors.All.Select(e => e.Code).Append(JoinErrors.NoCause)
            .ToFrozenDictionary(cause => cause, cause => Codes.Select(code => joins.WithLabels(code.ToWireName(), cause)).ToArray());
        _joinDuration = metrics.Factory.CreateHistogram(
            "custodian_join_duration_seconds", "Time to answer a join request, from the body read to the answer written.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.00005, 2, 16) });
        var requests = metrics.Factory.CreateCounter(
            "custodian_backend_interfaces_requests_total", "Backend Interfaces requests answered, by MessageType and ResultCode.",
            new CounterConfiguration { LabelNames = ["type", "result"], SuppressInitialValue = true });
        _requests = [.. Types.Select(type => Codes.Select(code => requests.WithLabels(type, code.ToWireName())).ToArray())];
        var authFailures = metrics.Factory.CreateCounter(
            "custodian_backend_interfaces_auth_failures_total",
            "Backend Interfaces requests whose credential failed (no_credential, sender_id_mismatch, sender_nsid_mismatch), or refused unread because their address failed too often (address_blocked). Nothing of them is stored.",
            new CounterConfiguration { LabelNames = ["reason"], SuppressInitialValue = true });
        _authFailures = JoinErrors.All.Where(e => e.Authentication).Select(e => e.Code).Append(AddressBlocked)
            .ToFrozenDictionary(reason => reason, reason => authFailures.WithLabels(reason));
    }

    public void Record(string messageType, ResultCode result, JoinError? cause, TimeSpan duration)
    {
        if (messageType is MessageTypes.JoinReq or MessageTypes.RejoinReq)
        {
            _joinsByCause[cause?.Code ?? JoinErrors.NoCause][(int)result].Inc();
            _joinDuration.Observe(duration.TotalSeconds);
        }
        _requests[TypeIndex(messageType)][(int)result].Inc();
    }

    /// <summary>A failed authentication (its cause's code) or <see cref="AddressBlocked"/>.</summary>
    public void AuthFailed(string reason) => _authFailures[reason].Inc();

    private static int TypeIndex(string messageType) => messageType switch
    {
        MessageTypes.JoinReq => 0,
        MessageTypes.RejoinReq => 1,
        MessageTypes.AppSKeyReq => 2,
        MessageTypes.HomeNSReq => 3,
        _ => 4,
    };
}

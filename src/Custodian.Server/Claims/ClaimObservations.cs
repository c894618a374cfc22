using Custodian.Core.Claims;
using Custodian.Core.Errors;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Observability;
using Prometheus;

namespace Custodian.Server.Claims;

/// <summary>
/// What every claim API (REST v1, The Things Join Server v2) records of claims and unclaims beside the audit
/// events the claim service writes: Prometheus counters and structured logs (DevEUI in scope, never a code). The
/// wrong-code budget and lock-outs are the claim policy's (<see cref="Core.Claims.Policy.ClaimPolicy"/>).
/// </summary>
public sealed class ClaimObservations
{
    public const string ClaimsMetric = "custodian_claims_total";
    public const string UnclaimsMetric = "custodian_unclaims_total";
    public const string RotationsMetric = "custodian_claim_codes_rotated_total";
    public const string RateLimitedMetric = "custodian_claim_requests_rate_limited_total";
    public const string RateLimitedHelp = "Claim requests refused by a rate limit: api_key, client_ip, wrong_codes or routed_wrong_codes.";

    /// <summary>The metric label of a successful claim; a failed one is labelled with its error code.</summary>
    public const string ClaimedLabel = "claimed";
    public const string AlreadyClaimedLabel = "already_claimed";
    public const string UnclaimedLabel = "unclaimed";
    public const string WrongCodesLimit = "wrong_codes";

    private readonly ILogger<ClaimObservations> _logger;
    private readonly Counter _claims;
    private readonly Counter _unclaims;
    private readonly Counter _rotations;
    private readonly Counter _rateLimited;

    public ClaimObservations(CustodianMetrics metrics, ILogger<ClaimObservations> logger)
    {
        _logger = logger;
        _claims = metrics.Factory.CreateCounter(ClaimsMetric, "Claims decided, by result: claimed, already_claimed or the error code.", new CounterConfiguration { LabelNames = ["result"] });
        _unclaims = metrics.Factory.CreateCounter(UnclaimsMetric, "Unclaims decided, by result: unclaimed or the error code.", new CounterConfiguration { LabelNames = ["result"] });
        _rotations = metrics.Factory.CreateCounter(RotationsMetric, "Claim codes replaced by a fresh one on unclaim.");
        _rateLimited = metrics.Factory.CreateCounter(RateLimitedMetric, RateLimitedHelp, new CounterConfiguration { LabelNames = ["limit"] });
        // Present from the first scrape, so that a rate() over them starts at zero.
        _ = _claims.WithLabels(ClaimedLabel);
        _ = _claims.WithLabels(AlreadyClaimedLabel);
        _ = _unclaims.WithLabels(UnclaimedLabel);
    }

    /// <summary>After a claim call: counts and logs each outcome.</summary>
    public void Claimed(CallerContext caller, IReadOnlyList<ClaimOutcome> outcomes, bool batch = false)
    {
        int claimed = 0, already = 0, failed = 0;
        var itemLevel = batch ? LogLevel.Debug : LogLevel.Information;
        foreach (var outcome in outcomes)
        {
            var result = ResultOf(outcome);
            _claims.WithLabels(result).Inc();
            switch (outcome.Result)
            {
                case ClaimResult.Claimed:
                    claimed++;
                    break;
                case ClaimResult.AlreadyClaimed:
                    already++;
                    break;
                default:
                    failed++;
                    break;
            }
            var level = outcome.Failure?.Error == CustodianErrors.ClaimLocked ? LogLevel.Warning : itemLevel;
            if (_logger.IsEnabled(level))
            {
                using (LogScopes.Device(_logger, outcome.DevEui, outcome.Status?.JoinEui))
                {
                    ServerLog.ClaimDecided(_logger, level, caller.TenantId, caller.KeyId, result);
                }
            }
        }
        if (batch)
        {
            ServerLog.ClaimBatchDecided(_logger, caller.TenantId, caller.KeyId, outcomes.Count, claimed, already, failed);
        }
    }

    /// <summary>After an unclaim call: counts and logs each outcome, and the rotated codes (never the code).</summary>
    public void Unclaimed(CallerContext caller, IReadOnlyList<UnclaimOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var result = outcome.Failure?.Error.Code ?? UnclaimedLabel;
            _unclaims.WithLabels(result).Inc();
            if (outcome.NewClaimCode is not null)
            {
                _rotations.Inc();
            }
            using (LogScopes.Device(_logger, outcome.DevEui))
            {
                ServerLog.UnclaimDecided(_logger, caller.TenantId, caller.KeyId, result, outcome.NewClaimCode is not null);
            }
        }
    }

    /// <summary>A claim that could not even be read (a 400, or a batch item that failed alone).</summary>
    public void Unreadable(CustodianFailure failure) => _claims.WithLabels(failure.Error.Code).Inc();

    /// <summary>A request refused by the per-key or per-address bucket (<see cref="ClaimRateLimiting"/>).</summary>
    public void RequestRateLimited(ClaimCaller caller, string limit, TimeSpan retryAfter)
    {
        _rateLimited.WithLabels(limit).Inc();
        ServerLog.ClaimRequestRateLimited(_logger, limit, caller.KeyId, Math.Ceiling(retryAfter.TotalSeconds));
    }

    public static string ResultOf(ClaimOutcome outcome) => outcome.Result switch
    {
        ClaimResult.Claimed => ClaimedLabel,
        ClaimResult.AlreadyClaimed => AlreadyClaimedLabel,
        _ => outcome.Failure?.Error.Code ?? CustodianErrors.Internal.Code,
    };
}

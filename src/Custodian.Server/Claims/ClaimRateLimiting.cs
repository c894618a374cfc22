using System.Diagnostics;
using System.Text.Json;
using System.Threading.RateLimiting;
using Custodian.Core.Errors;
using Custodian.Server.Auth;
using Custodian.Server.Configuration;
using Custodian.Server.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Claims;

/// <summary>
/// The rate limits of the claim endpoints: one token bucket per API key and one per client IP (an IPv6 client by
/// its /64), both taken for every request. Endpoints opt in with <c>.RequireRateLimiting(ClaimRateLimiting.PolicyName)</c>;
/// the pipeline runs the limiter after the API key is authenticated. A refused request gets 429
/// <c>rate_limited</c> with <c>Retry-After</c> (a v2 path gets The Things Join Server's <c>{"message"}</c> body).
/// </summary>
public static class ClaimRateLimiting
{
    /// <summary>The rate-limiting policy of every claim endpoint, REST v1 and v2 alike.</summary>
    public const string PolicyName = "custodian-claims";

    internal static IServiceCollection AddClaimRateLimits(this IServiceCollection services)
    {
        services.AddSingleton<ClaimRequestLimiter>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<ClaimCaller, ClaimRateLimitPolicy>(PolicyName);
        });
        return services;
    }
}

/// <summary>
/// Who a claim request comes from, for the rate limits: the API key's id, the client's address, and the key's own
/// request rate when an admin set one.
/// </summary>
public readonly record struct ClaimCaller(string KeyId, string ClientAddress, int? RequestsPerMinute = null)
{
    /// <summary>
    /// The caller of <paramref name="context"/>: its authenticated key (set by a middleware that runs before the
    /// limiter; without one, the address stands in for the key) and its address (an IPv6 address by its /64 prefix).
    /// </summary>
    public static ClaimCaller Of(HttpContext context)
    {
        var address = Auth.ClientAddress.Of(context.Connection.RemoteIpAddress);
        var key = context.Features.Get<CallerContext>();
        return new(key?.KeyId ?? "address:" + address, address, key?.Limits.RequestsPerMinute);
    }
}

/// <summary>The token buckets behind <see cref="ClaimRateLimiting.PolicyName"/> (none when the limits are off).</summary>
public sealed class ClaimRequestLimiter : IDisposable
{
    /// <summary>Which limit refused a request: <c>api_key</c> or <c>client_ip</c>.</summary>
    public static readonly MetadataName<string> LimitName = MetadataName.Create<string>("custodian.limit");

    private readonly PartitionedRateLimiter<KeyBucket>? _byKey;
    private readonly PartitionedRateLimiter<string>? _byAddress;
    private readonly ClaimRateLimitOptions _limits;

    public ClaimRequestLimiter(IOptions<CustodianOptions> options)
    {
        var limits = _limits = options.Value.Claims.RateLimit;
        if (!limits.Enabled)
        {
            return;
        }
        // A key whose limit an admin changes gets a new bucket (the partition names its rate).
        _byKey = PartitionedRateLimiter.Create<KeyBucket, KeyBucket>(bucket =>
            RateLimitPartition.GetTokenBucketLimiter(bucket, b => Bucket(b.Burst, b.PerMinute)));
        _byAddress = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetTokenBucketLimiter(address, _ => Bucket(limits.ClientIpBurst, limits.ClientIpRequestsPerMinute)));
    }

    public RateLimitPartition<ClaimCaller> PartitionOf(HttpContext context)
    {
        var caller = ClaimCaller.Of(context);
        return _byKey is null || _byAddress is null
            ? RateLimitPartition.GetNoLimiter(caller)
            : RateLimitPartition.Get(caller, c => new Lane(_byKey, _byAddress, c, BucketOf(c)));
    }

    /// <summary>
    /// The key's bucket: the default one, or one at the key's own rate with a burst of ten seconds of it (at least
    /// the default burst), as the default burst is ten seconds of the default rate.
    /// </summary>
    internal KeyBucket BucketOf(ClaimCaller caller) => caller.RequestsPerMinute is { } perMinute
        ? new KeyBucket(caller.KeyId, perMinute, Math.Max(_limits.ApiKeyBurst, perMinute / 6))
        : new KeyBucket(caller.KeyId, _limits.ApiKeyRequestsPerMinute, _limits.ApiKeyBurst);

    public void Dispose()
    {
        _byKey?.Dispose();
        _byAddress?.Dispose();
    }

    /// <summary>
    /// A bucket of <paramref name="burst"/> tokens refilled at <paramref name="perMinute"/>: every second when that is
    /// at least one a second (rounded down), else one token every 60/perMinute seconds.
    /// </summary>
    internal static TokenBucketRateLimiterOptions Bucket(int burst, int perMinute) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
        ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / perMinute,
        AutoReplenishment = true,
        QueueLimit = 0,
    };

    /// <summary>One caller's way through both buckets: the key's first, then the address's.</summary>
    /// <summary>One key's bucket: the key and the rate it is limited to.</summary>
    internal readonly record struct KeyBucket(string KeyId, int PerMinute, int Burst);

    private sealed class Lane(PartitionedRateLimiter<KeyBucket> byKey, PartitionedRateLimiter<string> byAddress, ClaimCaller caller, KeyBucket bucket) : RateLimiter
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public override TimeSpan? IdleDuration => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
            // Look at the address's bucket first, so that a refusal there does not spend the key's tokens (the
            // middleware tries twice: AttemptAcquire, then AcquireAsync).
            if (byAddress.GetStatistics(caller.ClientAddress) is { } address && address.CurrentAvailablePermits < permitCount)
            {
                return Refused.From(byAddress.AttemptAcquire(caller.ClientAddress, permitCount), "client_ip");
            }
            var keyLease = byKey.AttemptAcquire(bucket, permitCount);
            if (!keyLease.IsAcquired)
            {
                return Refused.From(keyLease, "api_key");
            }
            var addressLease = byAddress.AttemptAcquire(caller.ClientAddress, permitCount);
            if (!addressLease.IsAcquired)
            {
                keyLease.Dispose();
                return Refused.From(addressLease, "client_ip");
            }
            return new Both(keyLease, addressLease);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount)); // no queue: a request waits for nothing, and a refused one spends nothing

        private sealed class Both(RateLimitLease first, RateLimitLease second) : RateLimitLease
        {
            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }

            protected override void Dispose(bool disposing)
            {
                first.Dispose();
                second.Dispose();
            }
        }

        private sealed class Refused(string limit, TimeSpan retryAfter) : RateLimitLease
        {
            public static Refused From(RateLimitLease lease, string limit)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
                lease.Dispose();
                return new Refused(limit, retryAfter);
            }

            public override bool IsAcquired => false;

            public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name, LimitName.Name];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : metadataName == LimitName.Name ? limit : null;
                return metadata is not null;
            }
        }
    }
}

/// <summary>The named policy: partitions by <see cref="ClaimCaller"/>, answers refusals as problems with Retry-After.</summary>
internal sealed class ClaimRateLimitPolicy(ClaimRequestLimiter limiter, ClaimObservations observations) : IRateLimiterPolicy<ClaimCaller>
{
    private const string V2Prefix = "/api/v2";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<ClaimCaller> GetPartition(HttpContext httpContext) => limiter.PartitionOf(httpContext);

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        var limit = context.Lease.TryGetMetadata(ClaimRequestLimiter.LimitName, out var name) && name is not null ? name : "api_key";
        var http = context.HttpContext;
        var caller = ClaimCaller.Of(http);
        observations.RequestRateLimited(caller, limit, retryAfter);
        var who = limit == "client_ip" ? "this client address" : "this API key";
        var failure = CustodianErrors.RateLimited.With($"Too many claim requests from {who}; retry in {CustodianProblems.RetryAfterSeconds(retryAfter)} s.") with
        {
            RetryAfter = retryAfter,
        };
        if (http.Request.Path.StartsWithSegments(V2Prefix))
        {
            // The Things Join Server's API answers errors as {"message": "..."}.
            CustodianProblems.SetRetryAfter(http.Response, retryAfter);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, new { message = failure.Detail }, cancellationToken: cancellationToken);
            return;
        }
        await CustodianProblems.Result(failure).ExecuteAsync(http);
    }
}

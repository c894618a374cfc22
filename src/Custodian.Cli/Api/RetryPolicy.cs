using System.Net;

namespace Custodian.Cli.Api;

/// <summary>
/// When a request is worth sending again: connection failures, timeouts, 408, 429 and 502–504. Waits
/// grow 0.5 s, 1 s, 2 s … up to <see cref="MaxDelay"/> with jitter, or are what the server's
/// <c>Retry-After</c> asks for.
/// </summary>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy WithRetries(int retries) => new(MaxAttempts: retries + 1, FirstDelay: TimeSpan.FromMilliseconds(500), MaxDelay: TimeSpan.FromSeconds(30));

    /// <summary>A 429 answers "not now"; the rate limits refill, so waiting for them costs no attempt up to this many.</summary>
    public int MaxRateLimitedWaits { get; init; } = 1_000;

    public static bool IsTransient(HttpStatusCode status, string? problemCode) => status switch
    {
        HttpStatusCode.RequestTimeout or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => true,
        // A device locked after wrong codes stays locked for minutes to hours: that is an answer, not a hiccup.
        HttpStatusCode.TooManyRequests => problemCode != "claim_locked",
        _ => false,
    };

    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
        {
            return asked;
        }
        var exponential = FirstDelay * Math.Pow(2, Math.Min(retry, 16));
        var capped = exponential < MaxDelay ? exponential : MaxDelay;
        // Up to 20% jitter, so many clients that failed together do not return together.
        return capped * (1 + (Random.Shared.NextDouble() * 0.2));
    }
}

using Custodian.Core.Claims;

namespace Custodian.Server.Configuration;

/// <summary>
/// <c>Custodian:Claims</c>: how claiming is throttled (wrong codes per device, request rates per API key and client
/// IP, wrong codes per API key), and claim routing (other Join Servers, and the JoinEUIs they hold). The defaults
/// let an owner import 100,000 devices in batches of 1,000 without a pause, and hold a code guesser to about a
/// thousand guesses an hour per key.
/// </summary>
public sealed class ClaimsOptions
{
    public const string Section = CustodianOptions.Section + ":Claims";

    /// <summary>Wrong codes for one device lock that device for a growing time.</summary>
    public ClaimLockout Lockout { get; set; } = new();

    /// <summary>Rate limits on the claim endpoints (REST v1 and The Things Join Server v2).</summary>
    public ClaimRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Other Join Servers claims can be routed to, by name (<c>Custodian:Claims:JoinServers:{name}</c>).</summary>
    public Dictionary<string, RemoteJoinServerOptions> JoinServers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>JoinEUI prefixes and the Join Server that claims them; unmatched JoinEUIs are claimed here.</summary>
    public List<ClaimRouteOptions> Routes { get; set; } = [];
}

/// <summary>
/// <c>Custodian:Claims:RateLimit</c>: token buckets per API key and per client IP on every claim call, and a budget
/// of wrong claim codes per API key. Every exceeded limit answers 429 <c>rate_limited</c> with a Retry-After.
/// </summary>
public sealed class ClaimRateLimitOptions
{
    /// <summary>False turns every claim rate limit off (the per-device lock-out stays).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Claim requests (any claim endpoint; a batch is one request) one API key may make per minute, sustained.</summary>
    public int ApiKeyRequestsPerMinute { get; set; } = 1200;

    /// <summary>How many requests one API key may make at once, above the sustained rate.</summary>
    public int ApiKeyBurst { get; set; } = 200;

    /// <summary>Claim requests per minute from one client IP (all keys together), sustained.</summary>
    public int ClientIpRequestsPerMinute { get; set; } = 2400;

    /// <summary>How many requests one client IP may make at once, above the sustained rate.</summary>
    public int ClientIpBurst { get; set; } = 400;

    /// <summary>
    /// Wrong claim codes (<c>claim_refused</c> outcomes, over all devices) one API key may present per
    /// <see cref="WrongCodePeriod"/>; once spent, its claim calls are refused until the budget refills.
    /// </summary>
    public int WrongCodesPerApiKey { get; set; } = 1000;

    /// <summary>How long the wrong-code budget takes to refill from empty.</summary>
    public TimeSpan WrongCodePeriod { get; set; } = TimeSpan.FromHours(1);
}

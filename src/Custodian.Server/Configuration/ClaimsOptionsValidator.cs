using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>Checks <c>Custodian:Claims:Lockout</c> and <c>Custodian:Claims:RateLimit</c> when the server starts.</summary>
internal sealed class ClaimsOptionsValidator : IValidateOptions<CustodianOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodianOptions options)
    {
        var failures = new List<string>();
        void Fail(string key, string message) => failures.Add($"{ClaimsOptions.Section}:{key}: {message}.");

        var lockout = options.Claims.Lockout;
        if (lockout.FreeFailures < 0)
        {
            Fail("Lockout:FreeFailures", "must be 0 or more");
        }
        if (lockout.FirstLock <= TimeSpan.Zero)
        {
            Fail("Lockout:FirstLock", "must be positive (for example 00:01:00)");
        }
        if (lockout.LongestLock < lockout.FirstLock)
        {
            Fail("Lockout:LongestLock", "must be at least Lockout:FirstLock");
        }
        if (lockout.DeviceAlertEvery < 1)
        {
            Fail("Lockout:DeviceAlertEvery", "must be 1 or more");
        }
        var limits = options.Claims.RateLimit;
        foreach (var (key, value) in new[]
        {
            (nameof(limits.ApiKeyRequestsPerMinute), limits.ApiKeyRequestsPerMinute),
            (nameof(limits.ApiKeyBurst), limits.ApiKeyBurst),
            (nameof(limits.ClientIpRequestsPerMinute), limits.ClientIpRequestsPerMinute),
            (nameof(limits.ClientIpBurst), limits.ClientIpBurst),
            (nameof(limits.WrongCodesPerApiKey), limits.WrongCodesPerApiKey),
        })
        {
            if (value < 1)
            {
                Fail("RateLimit:" + key, "must be 1 or more (set RateLimit:Enabled to false to turn the limits off)");
            }
        }
        if (limits.WrongCodePeriod <= TimeSpan.Zero)
        {
            Fail("RateLimit:" + nameof(limits.WrongCodePeriod), "must be positive (for example 01:00:00)");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

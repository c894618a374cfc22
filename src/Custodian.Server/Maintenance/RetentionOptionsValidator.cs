using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>Checks <c>Custodian:Retention</c> at start (beside <see cref="CustodianOptionsValidator"/>).</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<CustodianOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodianOptions options)
    {
        var retention = options.Retention;
        var failures = new List<string>();
        if (retention.Events < TimeSpan.FromHours(1))
        {
            failures.Add("Custodian:Retention:Events must be at least 01:00:00 (one hour).");
        }
        if (retention.CheckEvery < TimeSpan.FromSeconds(1) || retention.CheckEvery > TimeSpan.FromDays(30))
        {
            failures.Add("Custodian:Retention:CheckEvery must be between 00:00:01 and 30.00:00:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

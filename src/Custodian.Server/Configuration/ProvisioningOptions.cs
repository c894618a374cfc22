using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>
/// <c>Custodian:Provisioning</c>: how many devices one API key may provision per minute (single and batch calls
/// together), and how large a claim file an import takes. Provisioning is confined to the maker's DevEUI blocks
/// anyway; the rate bounds what one key can write.
/// </summary>
public sealed class ProvisioningOptions
{
    public const string Section = CustodianOptions.Section + ":Provisioning";

    /// <summary>False turns the per-key provisioning rate limit off.</summary>
    public bool RateLimitEnabled { get; set; } = true;

    /// <summary>Devices one API key may provision per minute, sustained; a minute's worth may come at once.</summary>
    public int DevicesPerMinute { get; set; } = 100_000;
}

/// <summary>Checks <c>Custodian:Provisioning</c> when the server starts.</summary>
internal sealed class ProvisioningOptionsValidator : IValidateOptions<CustodianOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodianOptions options) =>
        options.Provisioning.DevicesPerMinute < 1
            ? ValidateOptionsResult.Fail($"{ProvisioningOptions.Section}:DevicesPerMinute: must be 1 or more (set RateLimitEnabled to false to turn the limit off).")
            : ValidateOptionsResult.Success;
}

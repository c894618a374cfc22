using Microsoft.Extensions.Options;

namespace Custodian.Server.Configuration;

/// <summary>Checks <see cref="BackendInterfacesOptions"/> at start.</summary>
internal sealed class BackendInterfacesOptionsValidator : IValidateOptions<CustodianOptions>
{
    public ValidateOptionsResult Validate(string? name, CustodianOptions options)
    {
        var bi = options.BackendInterfaces;
        var failures = new List<string>();
        if (bi.AuthFailuresPerAddress < 0)
        {
            failures.Add($"Custodian:BackendInterfaces:AuthFailuresPerAddress must be 0 (off) or more, got {bi.AuthFailuresPerAddress}.");
        }
        if (bi.AuthFailureWindow <= TimeSpan.Zero || bi.AuthFailureWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"Custodian:BackendInterfaces:AuthFailureWindow must be more than 0 and at most a day, got {bi.AuthFailureWindow}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

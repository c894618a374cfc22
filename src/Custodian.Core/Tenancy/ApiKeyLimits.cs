namespace Custodian.Core.Tenancy;

/// <summary>
/// Limits an admin set for one API key above (or below) the server's defaults, e.g. for the one key a whole The Things
/// Stack deployment claims with. A null member means the server's default.
/// </summary>
public sealed record ApiKeyLimits(int? RequestsPerMinute, int? WrongCodesPerHour)
{
    public static readonly ApiKeyLimits Default = new(null, null);

    /// <summary>The largest value either limit takes.</summary>
    public const int Max = 1_000_000;

    public bool IsDefault => RequestsPerMinute is null && WrongCodesPerHour is null;
}

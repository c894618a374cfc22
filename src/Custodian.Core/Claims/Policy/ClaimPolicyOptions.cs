namespace Custodian.Core.Claims.Policy;

/// <summary>
/// The claim policy's settings: the per-(device, claimant) lock-out, and the wrong-code budget per API key
/// (<see cref="WrongCodes"/> per <see cref="WrongCodePeriod"/>, off when <see cref="BudgetEnabled"/> is false).
/// </summary>
public sealed record ClaimPolicyOptions
{
    public ClaimLockout Lockout { get; init; } = new();

    public bool BudgetEnabled { get; init; } = true;

    public int WrongCodes { get; init; } = 1000;

    public TimeSpan WrongCodePeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The claimant's budget: its key's own (per hour) when an admin set one, else the default.</summary>
    public WrongCodeAllowance AllowanceOf(Claimant claimant) =>
        claimant.WrongCodesPerHour is { } perHour ? new(perHour, TimeSpan.FromHours(1)) : new(WrongCodes, WrongCodePeriod);
}

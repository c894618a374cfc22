namespace Custodian.Server.Configuration;

/// <summary>
/// <c>Custodian:Retention</c>: how long audit events are kept and how often old data is pruned. Sessions are pruned
/// once expired (<see cref="CustodianOptions.SessionLifetime"/>); devices, used DevNonces and JoinNonces never are.
/// </summary>
public sealed class RetentionOptions
{
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromHours(1);
}

namespace Custodian.Core.Joins;

/// <summary>The Join Server's settings (bound from the <c>Custodian</c> configuration section).</summary>
public sealed class JoinServerOptions
{
    public static readonly TimeSpan DefaultSessionLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a session's keys are valid: the JoinAns <c>Lifetime</c> and the AppSKeyReq deadline.</summary>
    public TimeSpan SessionLifetime { get; set; } = DefaultSessionLifetime;

    /// <summary>How often a join is tried again when the device changed between read and commit.</summary>
    public int CommitAttempts { get; set; } = 4;

    /// <summary>How many devices the join path keeps in memory between joins (0: read every time); see <see cref="DeviceCache"/>.</summary>
    public int DeviceCacheSize { get; set; } = 200_000;
}

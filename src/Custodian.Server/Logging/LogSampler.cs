namespace Custodian.Server.Logging;

/// <summary>
/// Lets one log line through per interval and counts the ones it held back, so that a flood of equal events
/// (failed authentications) costs a line every few seconds, not one per request.
/// </summary>
public sealed class LogSampler(TimeProvider time, TimeSpan every)
{
    private readonly long _interval = (long)(every.TotalSeconds * time.TimestampFrequency);
    private long _next = long.MinValue;
    private long _heldBack;

    /// <summary>True when this event may be logged; <paramref name="heldBack"/> then says how many were not since the last one.</summary>
    public bool TryTake(out long heldBack)
    {
        var now = time.GetTimestamp();
        var next = Volatile.Read(ref _next);
        if (now < next || Interlocked.CompareExchange(ref _next, now + _interval, next) != next)
        {
            Interlocked.Increment(ref _heldBack);
            heldBack = 0;
            return false;
        }
        heldBack = Interlocked.Exchange(ref _heldBack, 0);
        return true;
    }
}

namespace Custodian.Core.Storage;

/// <summary>
/// Both engines store an EUI as a signed 64-bit integer (its bits reinterpreted). Listing devices in DevEUI
/// order then takes two index ranges: 0000… to 7FFF… are stored as 0 to long.MaxValue and come first, then
/// 8000… to FFFF…, stored as long.MinValue to -1.
/// </summary>
public static class StoredDevEuiRanges
{
    /// <summary>The stored ranges that hold, in order, the DevEUIs after <paramref name="after"/> (all of them when null).</summary>
    public static (long From, long To)[] After(DevEui? after)
    {
        if (after is not { } last)
        {
            return [(0, long.MaxValue), (long.MinValue, -1)];
        }
        var stored = unchecked((long)last.Value);
        return stored switch
        {
            -1 => [],
            < 0 => [(stored + 1, -1)],
            long.MaxValue => [(long.MinValue, -1)],
            _ => [(stored + 1, long.MaxValue), (long.MinValue, -1)],
        };
    }
}

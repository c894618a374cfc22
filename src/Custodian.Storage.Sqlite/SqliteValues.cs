using Custodian.Core.Custody;
using Microsoft.Data.Sqlite;

namespace Custodian.Storage.Sqlite;

/// <summary>
/// How values are stored: EUIs and NetIDs as INTEGER (the unsigned value reinterpreted as signed 64-bit),
/// times as INTEGER microseconds since the Unix epoch in UTC (the precision PostgreSQL keeps too),
/// sealed secrets as their storage text.
/// </summary>
internal static class SqliteValues
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;
    private static readonly long EpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    public static long ToDb(DevEui devEui) => unchecked((long)devEui.Value);

    public static long ToDb(JoinEui joinEui) => unchecked((long)joinEui.Value);

    public static long ToDb(NetId netId) => netId.Value;

    public static long ToDb(DateTimeOffset time) => (time.UtcTicks - EpochTicks) / TicksPerMicrosecond;

    public static object ToDb(DateTimeOffset? time) => time is { } t ? ToDb(t) : DBNull.Value;

    public static DateTimeOffset Time(long microseconds) => new(EpochTicks + (microseconds * TicksPerMicrosecond), TimeSpan.Zero);

    public static DevEui GetDevEui(this SqliteDataReader reader, int ordinal) => new(unchecked((ulong)reader.GetInt64(ordinal)));

    public static DevEui? GetDevEuiOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDevEui(ordinal);

    public static JoinEui GetJoinEui(this SqliteDataReader reader, int ordinal) => new(unchecked((ulong)reader.GetInt64(ordinal)));

    public static NetId GetNetId(this SqliteDataReader reader, int ordinal) => new((uint)reader.GetInt64(ordinal));

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) => Time(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static byte[] GetBytes(this SqliteDataReader reader, int ordinal) => (byte[])reader.GetValue(ordinal);

    public static byte[]? GetBytesOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetBytes(ordinal);

    public static SealedSecret GetSealed(this SqliteDataReader reader, int ordinal) =>
        SealedSecret.ParseStorageText(reader.GetString(ordinal));

    /// <summary>A blob parameter from memory, copied only when it is not a whole array already.</summary>
    public static byte[] Blob(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}

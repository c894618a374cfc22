using Custodian.Core.Custody;
using Npgsql;
using NpgsqlTypes;

namespace Custodian.Storage.Postgres;

/// <summary>
/// How values are stored: EUIs as bigint (the unsigned value reinterpreted as signed), NetIDs as integer,
/// times as timestamptz (written in UTC, read with offset zero), sealed secrets as their storage text.
/// </summary>
internal static class PostgresValues
{
    public static long ToDb(DevEui devEui) => unchecked((long)devEui.Value);

    public static long ToDb(JoinEui joinEui) => unchecked((long)joinEui.Value);

    public static int ToDb(NetId netId) => (int)netId.Value;

    public static DateTimeOffset ToDb(DateTimeOffset time) => time.ToUniversalTime();

    public static DateTimeOffset? ToDb(DateTimeOffset? time) => time?.ToUniversalTime();

    /// <summary>Adds a positional parameter ($1, $2, … in order) of an explicit type (so nulls are typed too).</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, object? value, NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        return command;
    }

    public static NpgsqlCommand With(this NpgsqlCommand command, DevEui devEui) => command.With(ToDb(devEui), NpgsqlDbType.Bigint);

    public static NpgsqlCommand WithText(this NpgsqlCommand command, string? text) => command.With(text, NpgsqlDbType.Text);

    public static NpgsqlCommand WithBytes(this NpgsqlCommand command, ReadOnlyMemory<byte>? bytes) =>
        command.With(bytes?.ToArray(), NpgsqlDbType.Bytea);

    public static NpgsqlCommand WithTime(this NpgsqlCommand command, DateTimeOffset? time) =>
        command.With(ToDb(time), NpgsqlDbType.TimestampTz);

    public static DevEui GetDevEui(this NpgsqlDataReader reader, int ordinal) => new(unchecked((ulong)reader.GetInt64(ordinal)));

    public static DevEui? GetDevEuiOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDevEui(ordinal);

    public static JoinEui GetJoinEui(this NpgsqlDataReader reader, int ordinal) => new(unchecked((ulong)reader.GetInt64(ordinal)));

    public static NetId GetNetId(this NpgsqlDataReader reader, int ordinal) => new((uint)reader.GetInt32(ordinal));

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetTime(ordinal);

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static byte[] GetBytes(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>The cast matters: "null : bytes" would pick ReadOnlyMemory (a null array is empty memory), never a null.</summary>
    public static ReadOnlyMemory<byte>? GetBytesOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? (ReadOnlyMemory<byte>?)null : reader.GetBytes(ordinal);

    public static SealedSecret GetSealed(this NpgsqlDataReader reader, int ordinal) =>
        SealedSecret.ParseStorageText(reader.GetString(ordinal));
}

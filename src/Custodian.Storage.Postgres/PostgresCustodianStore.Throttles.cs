using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Custodian.Storage.Postgres;

/// <summary>
/// Claim throttles and per-key limits (schema 5). A read-modify-write holds a transaction-scoped advisory lock on its
/// key, so that instances sharing the database take turns on one throttle, present or not yet.
/// </summary>
public sealed partial class PostgresCustodianStore
{
    private const string ThrottleColumns = "key, count, at, locked_until, expires_at";

    private const string SelectThrottles = $"SELECT {ThrottleColumns} FROM claim_throttles WHERE key = ANY($1) AND expires_at > $2";

    private const string LockThrottle = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private const string SelectThrottle = $"SELECT {ThrottleColumns} FROM claim_throttles WHERE key = $1 AND expires_at > $2";

    private const string UpsertThrottle =
        $"""
        INSERT INTO claim_throttles ({ThrottleColumns}) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (key) DO UPDATE SET count = excluded.count, at = excluded.at, locked_until = excluded.locked_until, expires_at = excluded.expires_at
        """;

    private const string DeleteThrottle = "DELETE FROM claim_throttles WHERE key = $1";

    private const string PruneThrottles = "DELETE FROM claim_throttles WHERE expires_at <= $1";

    private const string SelectKeyLimits = "SELECT requests_per_minute, wrong_codes_per_hour FROM api_key_limits WHERE key_id = $1";

    private const string UpsertKeyLimits =
        """
        INSERT INTO api_key_limits (key_id, requests_per_minute, wrong_codes_per_hour)
        SELECT id, $2, $3 FROM api_keys WHERE id = $1
        ON CONFLICT (key_id) DO UPDATE SET requests_per_minute = excluded.requests_per_minute, wrong_codes_per_hour = excluded.wrong_codes_per_hour
        """;

    private const string DeleteKeyLimits = "WITH gone AS (DELETE FROM api_key_limits WHERE key_id = $1) SELECT count(*) FROM api_keys WHERE id = $1";

    public async Task<IReadOnlyList<ClaimThrottle>> GetClaimThrottlesAsync(IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? []
            : await ListAsync(Command(SelectThrottles).With(keys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text).WithTime(now), ReadThrottle, cancellationToken)
                .ConfigureAwait(false);

    public async Task<ClaimThrottle?> UpdateClaimThrottleAsync(
        string key, DateTimeOffset now, Func<ClaimThrottle?, ClaimThrottle?> update, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand(LockThrottle, connection, transaction).WithText(key))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var current = await SingleAsync(new NpgsqlCommand(SelectThrottle, connection, transaction).WithText(key).WithTime(now), ReadThrottle, cancellationToken)
            .ConfigureAwait(false);
        var next = update(current);
        await using (var write = next is null
            ? new NpgsqlCommand(DeleteThrottle, connection, transaction).WithText(key)
            : new NpgsqlCommand(UpsertThrottle, connection, transaction)
                .WithText(key)
                .With(next.Count, NpgsqlDbType.Double)
                .WithTime(next.At)
                .WithTime(next.LockedUntil)
                .WithTime(next.ExpiresAt))
        {
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    public async Task<int> PruneClaimThrottlesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(PruneThrottles).WithTime(now);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiKeyLimits> GetApiKeyLimitsAsync(string keyId, CancellationToken cancellationToken) =>
        await SingleAsync(Command(SelectKeyLimits).WithText(keyId), ReadKeyLimits, cancellationToken).ConfigureAwait(false) ?? ApiKeyLimits.Default;

    public async Task<bool> SetApiKeyLimitsAsync(string keyId, ApiKeyLimits limits, CancellationToken cancellationToken)
    {
        if (limits.IsDefault)
        {
            await using var delete = Command(DeleteKeyLimits).WithText(keyId);
            return (long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
        }
        await using var upsert = Command(UpsertKeyLimits)
            .WithText(keyId)
            .With(limits.RequestsPerMinute, NpgsqlDbType.Integer)
            .With(limits.WrongCodesPerHour, NpgsqlDbType.Integer);
        return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static ClaimThrottle ReadThrottle(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetDouble(1), r.GetTime(2), r.GetTimeOrNull(3), r.GetTime(4));

    private static ApiKeyLimits ReadKeyLimits(NpgsqlDataReader r) =>
        new(r.IsDBNull(0) ? null : r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1));
}

using System.Text.Json;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.Data.Sqlite;
using static Custodian.Storage.Sqlite.SqliteValues;

namespace Custodian.Storage.Sqlite;

/// <summary>Claim throttles and per-key limits (schema 5). Every write runs in the one writer, so a read-modify-write is atomic.</summary>
public sealed partial class SqliteCustodianStore
{
    private const string ThrottleColumns = "key, count, at, locked_until, expires_at";

    private const string SelectThrottles =
        $"SELECT {ThrottleColumns} FROM claim_throttles WHERE key IN (SELECT value FROM json_each($keys)) AND expires_at > $now";

    private const string SelectThrottle = $"SELECT {ThrottleColumns} FROM claim_throttles WHERE key = $key AND expires_at > $now";

    private const string UpsertThrottle =
        $"""
        INSERT INTO claim_throttles ({ThrottleColumns}) VALUES ($key, $count, $at, $locked_until, $expires_at)
        ON CONFLICT (key) DO UPDATE SET count = excluded.count, at = excluded.at, locked_until = excluded.locked_until, expires_at = excluded.expires_at
        """;

    private const string DeleteThrottle = "DELETE FROM claim_throttles WHERE key = $key";

    private const string PruneThrottles = "DELETE FROM claim_throttles WHERE expires_at <= $now";

    private const string SelectKeyLimits = "SELECT requests_per_minute, wrong_codes_per_hour FROM api_key_limits WHERE key_id = $key_id";

    private const string UpsertKeyLimits =
        """
        INSERT INTO api_key_limits (key_id, requests_per_minute, wrong_codes_per_hour)
        SELECT id, $requests_per_minute, $wrong_codes_per_hour FROM api_keys WHERE id = $key_id
        ON CONFLICT (key_id) DO UPDATE SET requests_per_minute = excluded.requests_per_minute, wrong_codes_per_hour = excluded.wrong_codes_per_hour
        """;

    private const string DeleteKeyLimits = "DELETE FROM api_key_limits WHERE key_id = $key_id";

    private const string HasKey = "SELECT count(*) FROM api_keys WHERE id = $key_id";

    public Task<IReadOnlyList<ClaimThrottle>> GetClaimThrottlesAsync(IReadOnlyList<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? Task.FromResult<IReadOnlyList<ClaimThrottle>>([])
            : Read((keys: JsonSerializer.Serialize(keys), now), static (db, query) =>
                List(db.Command(SelectThrottles).Set("$keys", query.keys).Set("$now", ToDb(query.now)), ReadThrottle));

    public Task<ClaimThrottle?> UpdateClaimThrottleAsync(
        string key, DateTimeOffset now, Func<ClaimThrottle?, ClaimThrottle?> update, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            var current = Single(db.Command(SelectThrottle).Set("$key", key).Set("$now", ToDb(now)), ReadThrottle);
            var next = update(current);
            if (next is null)
            {
                db.Command(DeleteThrottle).Set("$key", key).ExecuteNonQuery();
                return null;
            }
            db.Command(UpsertThrottle)
                .Set("$key", key)
                .Set("$count", next.Count)
                .Set("$at", ToDb(next.At))
                .Set("$locked_until", ToDb(next.LockedUntil))
                .Set("$expires_at", ToDb(next.ExpiresAt))
                .ExecuteNonQuery();
            return next;
        }, cancellationToken);

    public Task<int> PruneClaimThrottlesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _writer.Enqueue(db => db.Command(PruneThrottles).Set("$now", ToDb(now)).ExecuteNonQuery(), cancellationToken);

    public Task<ApiKeyLimits> GetApiKeyLimitsAsync(string keyId, CancellationToken cancellationToken) =>
        Read(keyId, static (db, keyId) => Single(db.Command(SelectKeyLimits).Set("$key_id", keyId), ReadKeyLimits) ?? ApiKeyLimits.Default);

    public Task<bool> SetApiKeyLimitsAsync(string keyId, ApiKeyLimits limits, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            if (limits.IsDefault)
            {
                db.Command(DeleteKeyLimits).Set("$key_id", keyId).ExecuteNonQuery();
                return (long)db.Command(HasKey).Set("$key_id", keyId).ExecuteScalar()! == 1;
            }
            return db.Command(UpsertKeyLimits)
                .Set("$key_id", keyId)
                .Set("$requests_per_minute", limits.RequestsPerMinute is { } rpm ? rpm : DBNull.Value)
                .Set("$wrong_codes_per_hour", limits.WrongCodesPerHour is { } wrong ? wrong : DBNull.Value)
                .ExecuteNonQuery() == 1;
        }, cancellationToken);

    private static ClaimThrottle ReadThrottle(SqliteDataReader r) =>
        new(r.GetString(0), r.GetDouble(1), r.GetTime(2), r.GetTimeOrNull(3), r.GetTime(4));

    private static ApiKeyLimits ReadKeyLimits(SqliteDataReader r) =>
        new(r.IsDBNull(0) ? null : r.GetInt32(0), r.IsDBNull(1) ? null : r.GetInt32(1));
}

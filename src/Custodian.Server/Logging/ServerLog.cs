namespace Custodian.Server.Logging;

/// <summary>
/// The server's log messages (source-generated), with stable event ids. None of them takes a key, a token,
/// a claim code or a KEK: identifiers and counts only.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(1001, LogLevel.Information, "Store: SQLite in {DataDirectory} (durability {Durability})")]
    public static partial void UsingSqlite(ILogger logger, string dataDirectory, Core.Storage.Durability durability);

    [LoggerMessage(1002, LogLevel.Information, "Store: PostgreSQL (host {Host}, database {Database})")]
    public static partial void UsingPostgres(ILogger logger, string host, string database);

    [LoggerMessage(1003, LogLevel.Information, "Store schema is up to date")]
    public static partial void Migrated(ILogger logger);

    [LoggerMessage(1010, LogLevel.Warning, "No KEK was configured: generated one into {Path}. Back it up, and keep it apart from the database; without it no stored key can be read")]
    public static partial void KekGenerated(ILogger logger, string path);

    [LoggerMessage(1011, LogLevel.Information, "KEK from configuration, label {Label}")]
    public static partial void KekConfigured(ILogger logger, string label);

    [LoggerMessage(1012, LogLevel.Information, "KEKs from {Path}: {Count} label(s), current {Label}")]
    public static partial void KekFileLoaded(ILogger logger, string path, int count, string label);

    [LoggerMessage(1020, LogLevel.Warning, "No admin API key existed: created one for tenant {TenantId} (key id {KeyId}), printed once and written to {Path}")]
    public static partial void AdminKeyGenerated(ILogger logger, string tenantId, string keyId, string path);

    [LoggerMessage(1021, LogLevel.Information, "The configured admin API key (Custodian:AdminKey) was stored as key id {KeyId}")]
    public static partial void AdminKeyConfigured(ILogger logger, string keyId);

    [LoggerMessage(1030, LogLevel.Information, "Tenant {TenantId} created")]
    public static partial void TenantCreated(ILogger logger, string tenantId);

    [LoggerMessage(1031, LogLevel.Information, "API key {KeyId} created for tenant {TenantId} with rights {Rights}")]
    public static partial void ApiKeyCreated(ILogger logger, string keyId, string tenantId, string rights);

    [LoggerMessage(1032, LogLevel.Information, "Network {NetId} (NSID {NsId}) registered; KEK label {KekLabel}, client certificate {HasCertificate}")]
    public static partial void NetworkRegistered(ILogger logger, string netId, string? nsId, string? kekLabel, bool hasCertificate);

    [LoggerMessage(1033, LogLevel.Information, "Application server {AsId} registered; KEK label {KekLabel}, client certificate {HasCertificate}")]
    public static partial void ApplicationServerRegistered(ILogger logger, string asId, string? kekLabel, bool hasCertificate);

    [LoggerMessage(1034, LogLevel.Information, "API key {KeyId} of tenant {TenantId} revoked (by key {ByKeyId})")]
    public static partial void ApiKeyRevoked(ILogger logger, string keyId, string tenantId, string byKeyId);

    [LoggerMessage(1040, LogLevel.Information, "Tenant {TenantId} provisioned {Created} device(s), {Failed} failed")]
    public static partial void DevicesProvisioned(ILogger logger, string tenantId, int created, int failed);

    [LoggerMessage(1041, LogLevel.Warning, "DevNonces reset by tenant {TenantId} (security-relevant: captured JoinRequests of the device are accepted once more)")]
    public static partial void DevNoncesReset(ILogger logger, string tenantId);

    [LoggerMessage(1050, LogLevel.Information, "Refused an API call: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1100, Message = "Claim by tenant {TenantId} (key {KeyId}): {Result}")]
    public static partial void ClaimDecided(ILogger logger, LogLevel level, string tenantId, string keyId, string result);

    [LoggerMessage(1101, LogLevel.Information, "Claim batch by tenant {TenantId} (key {KeyId}): {Count} item(s), {Claimed} claimed, {AlreadyClaimed} already claimed, {Failed} failed")]
    public static partial void ClaimBatchDecided(ILogger logger, string tenantId, string keyId, int count, int claimed, int alreadyClaimed, int failed);

    [LoggerMessage(1110, LogLevel.Information, "Unclaim by tenant {TenantId} (key {KeyId}): {Result}; new claim code issued: {Rotated}")]
    public static partial void UnclaimDecided(ILogger logger, string tenantId, string keyId, string result, bool rotated);

    [LoggerMessage(1121, LogLevel.Information, "A claim request of key {KeyId} was refused by the {Limit} rate limit; retry in {RetryAfterSeconds} s")]
    public static partial void ClaimRequestRateLimited(ILogger logger, string limit, string keyId, double retryAfterSeconds);

    [LoggerMessage(1090, LogLevel.Warning, "The store is unavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1099, LogLevel.Error, "Unhandled {ExceptionType} on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string exceptionType, string method, string path, Exception exception);
}

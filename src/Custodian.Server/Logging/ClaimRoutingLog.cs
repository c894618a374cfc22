namespace Custodian.Server.Logging;

/// <summary>Logs of the v2 claim API and claim routing (event ids 1200–1299). DevEUIs yes; codes and tokens never.</summary>
internal static partial class ClaimRoutingLog
{
    [LoggerMessage(1200, LogLevel.Information, "Claim routing: {Routes} route(s); Join Servers {JoinServers}")]
    public static partial void RoutingConfigured(ILogger logger, int routes, string joinServers);

    [LoggerMessage(1201, LogLevel.Information, "Forwarded {Operation} of {DevEui} to Join Server {JoinServer}: HTTP {Status} ({Result}) in {ElapsedMs} ms")]
    public static partial void Forwarded(ILogger logger, string operation, string devEui, string joinServer, int status, string result, long elapsedMs);

    [LoggerMessage(1202, LogLevel.Warning, "Join Server {JoinServer} is unavailable for {Operation} of {DevEui}: {Reason}")]
    public static partial void JoinServerUnavailable(ILogger logger, string joinServer, string operation, string devEui, string reason);

    [LoggerMessage(1220, LogLevel.Debug, "API key {KeyId} of tenant {TenantId} authenticated by its client certificate")]
    public static partial void CertificateAuthenticated(ILogger logger, string keyId, string tenantId);
}

namespace Custodian.Server.Logging;

/// <summary>Log messages of the maker side: DevEUI blocks, provisioning throttles, re-issued claim codes. Never a code.</summary>
internal static partial class MakerLog
{
    [LoggerMessage(1071, LogLevel.Information, "DevEUI blocks of tenant {TenantId} set to [{Blocks}] by API key {KeyId}")]
    public static partial void DevEuiBlocksAssigned(ILogger logger, string tenantId, string blocks, string keyId);

    [LoggerMessage(1072, LogLevel.Warning, "Provisioning by API key {KeyId} rate limited: {Devices} devices asked, retry in {RetryAfter}")]
    public static partial void ProvisioningRateLimited(ILogger logger, string keyId, int devices, TimeSpan retryAfter);

    [LoggerMessage(1073, LogLevel.Information, "Maker {TenantId} issued a new claim code")]
    public static partial void ClaimCodeReissued(ILogger logger, string tenantId);

    [LoggerMessage(1074, LogLevel.Warning, "Claim import by API key {KeyId} refused: another import of this key is running")]
    public static partial void ImportRunning(ILogger logger, string keyId);
}

namespace Custodian.Server.Logging;

/// <summary>The admin key's bootstrap (event ids 1022–1023): key ids only, never a key.</summary>
internal static partial class AdminKeyLog
{
    [LoggerMessage(1022, LogLevel.Warning, "Admin key {KeyId} ({Name}) retired: Custodian:AdminKey names a new key")]
    public static partial void EarlierKeyRetired(ILogger logger, string keyId, string name);

    [LoggerMessage(1023, LogLevel.Warning, "The admin key Custodian:AdminKey names was revoked and stays revoked; set Custodian:AdminKey to a new key to have one stored")]
    public static partial void ConfiguredKeyRevoked(ILogger logger);
}

namespace Custodian.Server.Logging;

/// <summary>Changes to the peers' credentials (event ids 1060–1069): identifiers only, never a token or a certificate.</summary>
internal static partial class PeerCredentialsLog
{
    [LoggerMessage(1060, LogLevel.Information, "Network {NetId} (NSID {NsId}): bearer token rotated; the previous one is refused")]
    public static partial void NetworkTokenRotated(ILogger logger, string netId, string nsId);

    [LoggerMessage(1061, LogLevel.Information, "Network {NetId} (NSID {NsId}): client certificate {Change}")]
    public static partial void NetworkCertificateChanged(ILogger logger, string netId, string nsId, string change);

    [LoggerMessage(1062, LogLevel.Information, "Network {NetId} (NSID {NsId}) removed")]
    public static partial void NetworkRemoved(ILogger logger, string netId, string nsId);

    [LoggerMessage(1063, LogLevel.Information, "Application server {AsId}: bearer token rotated; the previous one is refused")]
    public static partial void ApplicationServerTokenRotated(ILogger logger, string asId);

    [LoggerMessage(1064, LogLevel.Information, "Application server {AsId}: client certificate {Change}")]
    public static partial void ApplicationServerCertificateChanged(ILogger logger, string asId, string change);

    [LoggerMessage(1065, LogLevel.Information, "Application server {AsId} removed")]
    public static partial void ApplicationServerRemoved(ILogger logger, string asId);
}

namespace Custodian.Server.Logging;

/// <summary>
/// The log scopes the server opens, one definition each, so that every line about a device (a join, a claim, a
/// provisioning, a DevNonce reset) carries it under the same structured names: <c>DevEUI</c>, and <c>JoinEUI</c>
/// when it is known. A log query for a device then finds its joins and its claims alike.
/// </summary>
public static class LogScopes
{
    public const string DevEuiProperty = "DevEUI";
    public const string JoinEuiProperty = "JoinEUI";

    private static readonly Func<ILogger, string, IDisposable?> DeviceOnly =
        LoggerMessage.DefineScope<string>("DevEUI {DevEUI}");

    private static readonly Func<ILogger, string, string, IDisposable?> DeviceAndJoinEui =
        LoggerMessage.DefineScope<string, string>("DevEUI {DevEUI} JoinEUI {JoinEUI}");

    /// <summary>A scope naming the device; none when the DevEUI is not known (a message too malformed to name one).</summary>
    public static IDisposable? Device(ILogger logger, DevEui? devEui, JoinEui? joinEui = null) =>
        devEui is { } eui ? Device(logger, eui.ToString(), joinEui?.ToString()) : null;

    /// <summary>The same, for a DevEUI as the caller wrote it (a refused provisioning may name one that does not parse).</summary>
    public static IDisposable? Device(ILogger logger, string? devEui, string? joinEui = null) => (devEui, joinEui) switch
    {
        (null, _) => null,
        (_, null) => DeviceOnly(logger, devEui),
        _ => DeviceAndJoinEui(logger, devEui, joinEui),
    };
}

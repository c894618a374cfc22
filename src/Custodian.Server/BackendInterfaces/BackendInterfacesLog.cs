namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// The Backend Interfaces endpoint's logs. Descriptions are ours and never hold a key or token; every text a
/// peer chose (SenderID, and descriptions that quote it) goes through <see cref="Logging.LogText.Safe"/> first.
/// </summary>
internal static partial class BackendInterfacesLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "{MessageType} from {SenderId} answered {ResultCode}")]
    public static partial void Answered(this ILogger logger, string messageType, string senderId, string resultCode);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{MessageType} from {SenderId} refused with {ResultCode} ({Cause}): {Description}")]
    public static partial void Refused(this ILogger logger, string messageType, string senderId, string resultCode, string cause, string? description);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "Backend Interfaces body refused with HTTP 400: {Reason}")]
    public static partial void Unreadable(this ILogger logger, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "{MessageType} from {SenderId} failed; answered {ResultCode} without details")]
    public static partial void Failed(this ILogger logger, Exception exception, string messageType, string senderId, string resultCode);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "{MessageType} from {Address} (SenderID {SenderId}) failed authentication ({Cause}); {HeldBack} more failures since the last such line were not logged")]
    public static partial void AuthenticationFailed(this ILogger logger, string messageType, string address, string senderId, string cause, long heldBack);
}

namespace Custodian.Core.Joins;

/// <summary>
/// The one table from a join cause (<see cref="JoinErrors"/>) to the Backend Interfaces ResultCode a peer is
/// answered with, per BI version. How a ResultCode is spelled on the wire is <see cref="ResultCodes"/>' business.
/// </summary>
public static class JoinResultCodes
{
    private static readonly Dictionary<JoinError, (ResultCode V10, ResultCode V11)> Table = new(ReferenceEqualityComparer.Instance)
    {
        // "Malformed" is spelled per version by the Backend Interfaces library, which knows what peers accept.
        [JoinErrors.MalformedMessage] = Malformed(),
        [JoinErrors.MessageTypeNotServed] = Malformed(),
        [JoinErrors.InvalidProtocolVersion] = Both(ResultCode.InvalidProtocolVersion),
        [JoinErrors.NoCredential] = Both(ResultCode.UnknownSender),
        [JoinErrors.SenderIdMismatch] = Both(ResultCode.UnknownSender),
        [JoinErrors.SenderNsIdMismatch] = Both(ResultCode.UnknownSender),

        // A network that is not the device's home learns nothing per device: these answer alike.
        [JoinErrors.UnknownDevice] = Both(ResultCode.UnknownDevEUI),
        [JoinErrors.DeviceNotClaimed] = Both(ResultCode.UnknownDevEUI),
        [JoinErrors.NotHomeNetwork] = Both(ResultCode.UnknownDevEUI),
        [JoinErrors.NotHomeNetworkServer] = Both(ResultCode.UnknownDevEUI),

        [JoinErrors.MacVersionMismatch] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.AppKeyMissing] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.MicFailed] = Both(ResultCode.MICFailed),
        [JoinErrors.DevNonceReused] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.DevNonceTooSmall] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.JoinNonceExhausted] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.DeviceChanged] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.RejoinNotServed] = Both(ResultCode.JoinReqFailed),
        [JoinErrors.UnknownSession] = Both(ResultCode.UnknownDevEUI),
        [JoinErrors.NotSessionApplicationServer] = Both(ResultCode.UnknownSender),
        [JoinErrors.SessionRevoked] = Both(ResultCode.ActivationDisallowed),
        [JoinErrors.SessionExpired] = Both(ResultCode.ActivationDisallowed),
        [JoinErrors.Internal] = Both(ResultCode.Other),
    };

    public static ResultCode For(JoinError cause, BackendInterfacesVersion version) =>
        Table.TryGetValue(cause, out var codes)
            ? version == BackendInterfacesVersion.V1_0 ? codes.V10 : codes.V11
            : throw new ArgumentOutOfRangeException(nameof(cause), cause.Code, "The join error has no ResultCode.");

    /// <summary>A failure inside while answering a join is JoinReqFailed, which every network server retries; other requests get Other.</summary>
    public static ResultCode ForInternal(string messageType, BackendInterfacesVersion version) =>
        messageType is MessageTypes.JoinReq or MessageTypes.RejoinReq ? ResultCode.JoinReqFailed : For(JoinErrors.Internal, version);

    private static (ResultCode, ResultCode) Both(ResultCode code) => (code, code);

    private static (ResultCode, ResultCode) Malformed() =>
        (ResultCodes.Malformed(BackendInterfacesVersion.V1_0), ResultCodes.Malformed(BackendInterfacesVersion.V1_1));
}

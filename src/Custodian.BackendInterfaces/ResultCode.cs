using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>The ResultCode values of TS002 (BI 1.0 and 1.1). The wire names are the member names, except <see cref="UnknownReceiver"/>.</summary>
[JsonConverter(typeof(ResultCodeConverter))]
public enum ResultCode
{
    Success,
    MICFailed,
    JoinReqFailed,
    NoRoamingAgreement,
    DevRoamingDisallowed,
    RoamingActDisallowed,
    ActivationDisallowed,
    UnknownDevEUI,
    UnknownDevAddr,
    UnknownSender,

    /// <summary>Written "UnkownReceiver" (sic), as the specification and The Things Stack spell it; both spellings are read.</summary>
    UnknownReceiver,
    Deferred,
    XmitFailed,
    InvalidFPort,
    InvalidProtocolVersion,
    StaleDeviceProfile,

    /// <summary>BI 1.0 only; BI 1.1 renamed it <see cref="MalformedMessage"/>.</summary>
    MalformedRequest,

    /// <summary>BI 1.1 only.</summary>
    MalformedMessage,
    FrameSizeError,
    Other,

    /// <summary>BI 1.1 only.</summary>
    NoAction,

    /// <summary>BI 1.1 only.</summary>
    FrameReplayed,
}

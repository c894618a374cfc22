namespace Custodian.BackendInterfaces;

/// <summary>Why the Join Server refused a request, in its own terms; <see cref="ResultCodes.For"/> turns it into a ResultCode.</summary>
public enum FailureCondition
{
    /// <summary>A field of the message is missing, of the wrong type or length, or the MessageType is not served.</summary>
    MalformedMessage,

    /// <summary>The PHYPayload cannot be decoded as the frame the message type calls for.</summary>
    PayloadDecodeError,
    CFListWrongLength,
    DLSettingsWrongLength,
    MicMismatch,
    DevNonceReused,
    UnknownDevEui,
    UnknownSender,
    UnknownReceiver,
    ActivationDisallowed,

    /// <summary>Anything else that made the join fail.</summary>
    JoinFailed,
}

using Custodian.Core.Devices;

namespace Custodian.Core.Joins;

/// <summary>What the steps of one JoinReq learn, in the order they learn it; the first refusal stops them.</summary>
internal sealed class JoinContext(JoinReq request, BackendPeer peer)
{
    public JoinReq Request { get; } = request;

    public BackendPeer Peer { get; } = peer;

    public MessageHeader Header { get; } = request.AnswerHeader();

    public BackendInterfacesVersion Version { get; } = request.Version ?? BackendInterfacesVersion.V1_1;

    public JoinRequest Frame { get; set; }

    public bool FrameDecoded { get; set; }

    /// <summary>The device read for this attempt (its Version is what the commit expects).</summary>
    public Device? Device { get; set; }

    /// <summary>The device came from the cache, not the store: a refusal must be checked against the store.</summary>
    public bool DeviceFromCache { get; set; }

    public JoinDevice? JoinDevice { get; set; }

    public JoinNonce JoinNonce { get; set; }

    /// <summary>1.0.0–1.0.3: the DevNonce joins the used ones.</summary>
    public bool RememberDevNonce { get; set; }

    public JoinOutcome? Outcome { get; set; }

    public byte[] SessionKeyId { get; set; } = [];

    public ResultCode ResultCode { get; private set; } = ResultCode.Success;

    /// <summary>What the peer is told: the precise reason, unless the cause is one a foreign network must not learn.</summary>
    public string? Description { get; private set; }

    /// <summary>The refusal's own cause; null while nothing refused.</summary>
    public JoinError? Cause { get; private set; }

    /// <summary>The precise reason, for the device's own tenant's audit log and the server's log.</summary>
    public string? Detail { get; private set; }

    /// <summary>Records the refusal; returns false so a step can end with <c>return context.Refuse(…)</c>.</summary>
    public bool Refuse(JoinError cause, string detail)
    {
        Cause = cause;
        ResultCode = JoinResultCodes.For(cause, Version);
        Detail = detail;
        Description = cause.Disclosed ? detail : UnknownDevice(Frame.DevEui, Frame.JoinEui);
        return false;
    }

    /// <summary>Forgets a refusal, before the steps run again on a fresh read.</summary>
    public void ClearRefusal()
    {
        ResultCode = ResultCode.Success;
        Description = null;
        Cause = null;
        Detail = null;
    }

    public bool RefuseMalformed(string description) => Refuse(JoinErrors.MalformedMessage, description);

    /// <summary>One text for an unknown device and every device a foreign network must not learn about.</summary>
    public static string UnknownDevice(DevEui devEui, JoinEui joinEui) => $"DevEUI {devEui} is not known under JoinEUI {joinEui}.";

    public BackendAnswer Answer() => ResultCode == ResultCode.Success && Outcome is { } outcome
        ? new BackendAnswer(outcome.Answer, Request.MessageType, ResultCode.Success, Description, Request.DevEUI)
        : BackendAnswer.Refusal(Request, ResultCode, Cause ?? JoinErrors.Internal, Description ?? "The join was refused.", Request.DevEUI);
}

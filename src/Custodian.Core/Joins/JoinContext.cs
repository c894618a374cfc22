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

    public string? Description { get; private set; }

    /// <summary>Records the refusal; returns false so a step can end with <c>return context.Refuse(…)</c>.</summary>
    public bool Refuse(ResultCode code, string description)
    {
        ResultCode = code;
        Description = description;
        return false;
    }

    /// <summary>Forgets a refusal, before the steps run again on a fresh read.</summary>
    public void ClearRefusal()
    {
        ResultCode = ResultCode.Success;
        Description = null;
    }

    public bool RefuseMalformed(string description) => Refuse(ResultCodes.Malformed(Version), description);

    public BackendAnswer Answer() => ResultCode == ResultCode.Success && Outcome is { } outcome
        ? new BackendAnswer(outcome.Answer, Request.MessageType, ResultCode.Success, Description, Request.DevEUI)
        : BackendAnswer.Refusal(Request, ResultCode, Description ?? "The join was refused.", Request.DevEUI);
}

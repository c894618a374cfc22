using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// Answers a RejoinReq. Rejoins are not served (as The Things Stack's Join Server does not serve them):
/// after the same sender and device checks as a JoinReq, the answer is JoinReqFailed saying so, and the
/// device falls back to a JoinRequest, which every LoRaWAN 1.1 device does when its rejoins go unanswered.
/// </summary>
public sealed class RejoinHandler(ICustodianStore store, TimeProvider time)
{
    public const string NotServed = "RejoinReq is not served by this Join Server; the device must join again with a JoinRequest.";

    public async Task<BackendAnswer> AnswerAsync(RejoinReq request, BackendPeer peer, CancellationToken cancellationToken)
    {
        var version = request.Version ?? BackendInterfacesVersion.V1_1;
        if (!RejoinRequest.Decode(request.PHYPayload).TryGetValue(out var frame, out var error))
        {
            return Refuse(request, ResultCodes.Malformed(version), "PHYPayload: " + error.Message);
        }
        if (frame.DevEui != request.DevEUI)
        {
            return Refuse(request, ResultCodes.Malformed(version), $"PHYPayload carries DevEUI {frame.DevEui}, the message {request.DevEUI}.");
        }
        var device = await store.GetDeviceAsync(request.DevEUI, cancellationToken).ConfigureAwait(false);
        var (code, description) = SenderChecks.Credential(request, peer.Network) is { } why ? (ResultCode.UnknownSender, why)
            : device is null ? (ResultCode.UnknownDevEUI, $"DevEUI {request.DevEUI} is not known.")
            : device.Owner is null ? (ResultCode.ActivationDisallowed, SenderChecks.NotClaimed(device))
            : SenderChecks.HomeNetwork(request, peer.Network!, device) is { } notHome ? (ResultCode.UnknownSender, notHome)
            : (ResultCode.JoinReqFailed, NotServed);
        if (device is not null)
        {
            await JoinAudit.RecordRefusalAsync(store, device, AuditEventTypes.RejoinRefused, code, description, peer.Actor(request.SenderID), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        return Refuse(request, code, description);
    }

    private static BackendAnswer Refuse(RejoinReq request, ResultCode code, string description) =>
        BackendAnswer.Refusal(request, code, description, request.DevEUI);
}

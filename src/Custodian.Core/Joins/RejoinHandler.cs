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
        if (!RejoinRequest.Decode(request.PHYPayload).TryGetValue(out var frame, out var error))
        {
            return Refuse(request, JoinErrors.MalformedMessage, "PHYPayload: " + error.Message);
        }
        if (frame.DevEui != request.DevEUI)
        {
            return Refuse(request, JoinErrors.MalformedMessage, $"PHYPayload carries DevEUI {frame.DevEui}, the message {request.DevEUI}.");
        }
        // Before any device is looked up: a request without a valid credential learns and stores nothing.
        if (SenderChecks.Credential(request, peer.Network) is { } refusal)
        {
            return Refuse(request, refusal.Cause, refusal.Detail);
        }
        var device = await store.GetDeviceAsync(request.DevEUI, cancellationToken).ConfigureAwait(false);
        if (device is null)
        {
            return Refuse(request, JoinErrors.UnknownDevice, Unknown(request));
        }
        var (cause, detail) = device.Owner is null ? (JoinErrors.DeviceNotClaimed, SenderChecks.NotClaimed(device))
            : SenderChecks.HomeNetwork(request, peer.Network!, device) is { } notHome ? (notHome.Cause, notHome.Detail)
            : (JoinErrors.RejoinNotServed, NotServed);
        var answer = Refuse(request, cause, cause.Disclosed ? detail : Unknown(request));
        await JoinAudit.RecordRefusalAsync(
            store, device, AuditEventTypes.RejoinRefused, cause, answer.ResultCode, detail, peer.Actor(request.SenderID), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary>One text for an unknown device and every device a foreign network must not learn about.</summary>
    private static string Unknown(RejoinReq request) => $"DevEUI {request.DevEUI} is not known.";

    private static BackendAnswer Refuse(RejoinReq request, JoinError cause, string description) =>
        BackendAnswer.Refusal(request, cause, description, request.DevEUI);
}

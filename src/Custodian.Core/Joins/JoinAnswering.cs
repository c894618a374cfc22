namespace Custodian.Core.Joins;

/// <summary>
/// Answers a Backend Interfaces JoinReq for a device already looked up: decode the frame, match it
/// to the device, verify the MIC, derive the session keys, and seal them for the network and the
/// application server. Pure: the caller owns the device store, the nonces and the sender checks.
/// </summary>
public static class JoinAnswering
{
    public static JoinOutcome Answer(JoinReq request, JoinDevice? device, JoinAnswerContext context)
    {
        var header = request.AnswerHeader();
        var version = request.Version ?? BackendInterfacesVersion.V1_1;
        if (!JoinRequest.Decode(request.PHYPayload).TryGetValue(out var frame, out var frameError))
        {
            return Refuse(header, version, FailureCondition.PayloadDecodeError, "PHYPayload: " + frameError.Message);
        }
        if (device is null || device.DevEui != request.DevEUI || device.JoinEui != frame.JoinEui)
        {
            // One answer for an unknown DevEUI and a JoinEUI it is not registered under: nothing to enumerate.
            return Refuse(header, version, FailureCondition.UnknownDevEui, $"DevEUI {request.DevEUI} is not known under JoinEUI {frame.JoinEui}.");
        }
        if (frame.DevEui != request.DevEUI)
        {
            return Refuse(header, version, FailureCondition.MalformedMessage, $"PHYPayload carries DevEUI {frame.DevEui}, the message {request.DevEUI}.");
        }
        if (request.SenderNetId() is not { } netId)
        {
            return Refuse(header, version, FailureCondition.UnknownSender, $"SenderID '{request.SenderID}' is not a NetID.");
        }
        return AnswerFrame(request, header, frame, device, netId, context);
    }

    /// <summary>
    /// Answers a request whose frame is decoded and matched to <paramref name="device"/>, and whose
    /// sender is known to be <paramref name="netId"/>: verifies the MIC, derives and seals the keys.
    /// The Join Server's pipeline calls this once its own checks (sender, nonces) have passed.
    /// </summary>
    public static JoinOutcome AnswerFrame(
        JoinReq request, MessageHeader header, in JoinRequest frame, JoinDevice device, NetId netId, JoinAnswerContext context)
    {
        var version = request.Version ?? BackendInterfacesVersion.V1_1;
        var fields = new JoinAcceptFields(context.JoinNonce, netId, request.DevAddr, request.DLSettings, new RxDelay(request.RxDelay), request.CFList);
        Span<byte> joinAccept = stackalloc byte[JoinAccept.SizeWithCFList];
        var rootKeys = device.RootKeys;
        if (!JoinCrypto.Answer(in frame, in rootKeys, device.MacVersion, in fields, joinAccept).TryGetValue(out var answer, out var error))
        {
            return Refuse(header, version, FailureCondition.MicMismatch, error.Message);
        }
        var envelopes = Seal(answer.SessionKeys, context);
        var joinAns = JoinAns.Success(
            header, request.MACVersion.Version, joinAccept[..answer.JoinAcceptLength].ToArray(),
            envelopes, context.Lifetime, context.SessionKeyId);
        return new JoinOutcome(joinAns, frame, answer.SessionKeys);
    }

    /// <summary>Network keys under the network's KEK, the AppSKey under the application server's.</summary>
    private static SessionKeyEnvelopes Seal(SessionKeys keys, JoinAnswerContext context) => new(
        KeyEnvelope.Seal(keys.FNwkSIntKey.Key, context.NetworkKek),
        KeyEnvelope.Seal(keys.SNwkSIntKey.Key, context.NetworkKek),
        KeyEnvelope.Seal(keys.NwkSEncKey.Key, context.NetworkKek),
        KeyEnvelope.Seal(keys.AppSKey.Key, context.ApplicationServerKek));

    private static JoinOutcome Refuse(MessageHeader header, BackendInterfacesVersion version, FailureCondition condition, string description) =>
        new(header.WithResult(ResultCodes.For(condition, version), description), null, null);
}

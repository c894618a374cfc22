using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>Answers a HomeNSReq from a registered network: the owner's home NetID (and NSID, in BI 1.1).</summary>
public sealed class HomeNSHandler(ICustodianStore store)
{
    public async Task<BackendAnswer> AnswerAsync(HomeNSReq request, BackendPeer peer, CancellationToken cancellationToken)
    {
        if (SenderChecks.Credential(request, peer.Network) is { } refusal)
        {
            return Refuse(request, refusal.Cause, refusal.Detail);
        }
        var device = await store.GetDeviceAsync(request.DevEUI, cancellationToken).ConfigureAwait(false);
        if (device?.Owner is not { } owner)
        {
            // Unclaimed devices have no home; they answer as unknown ones do.
            return Refuse(request, device is null ? JoinErrors.UnknownDevice : JoinErrors.DeviceNotClaimed, $"DevEUI {request.DevEUI} has no home network here.");
        }
        NsId? homeNsId = request.Version == BackendInterfacesVersion.V1_1 && NsIds.TryParse(owner.HomeNsId, out var nsId) ? nsId : null;
        var answer = new HomeNSAns(request.AnswerHeader())
        {
            Result = new Result(ResultCode.Success),
            HNetID = owner.HomeNetId,
            HNSID = homeNsId,
        };
        return new BackendAnswer(answer, request.MessageType, ResultCode.Success, null, request.DevEUI);
    }

    private static BackendAnswer Refuse(HomeNSReq request, JoinError cause, string description) =>
        BackendAnswer.Refusal(request, cause, description, request.DevEUI);
}

using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// Answers an AppSKeyReq: only the device's application server (as the session recorded it), only
/// for a session of the device's current ownership, and only until it expires.
/// </summary>
public sealed class AppSKeyHandler(ICustodianStore store, KeyRing keyRing, PeerKeks peerKeks, TimeProvider time)
{
    public async Task<BackendAnswer> AnswerAsync(AppSKeyReq request, BackendPeer peer, CancellationToken cancellationToken)
    {
        if (peer.ApplicationServer is not { } server)
        {
            return Refuse(request, JoinErrors.NoCredential, "The request carries no credential (bearer token or client certificate) of a registered application server.");
        }
        if (!string.Equals(request.SenderID.Trim(), server.AsId, StringComparison.Ordinal))
        {
            return Refuse(request, JoinErrors.SenderIdMismatch, $"SenderID '{request.SenderID}' is not AS-ID '{server.AsId}', which this credential is registered for.");
        }
        var device = await store.GetDeviceAsync(request.DevEUI, cancellationToken).ConfigureAwait(false);
        var session = device is null ? null : await store.GetSessionAsync(request.DevEUI, request.SessionKeyID, cancellationToken).ConfigureAwait(false);
        if (device is null || session is null)
        {
            return Refuse(request, JoinErrors.UnknownSession, $"DevEUI {request.DevEUI} has no session with SessionKeyID {Convert.ToHexString(request.SessionKeyID)}.");
        }
        var refusal = Check(request, server.AsId, device, session);
        if (refusal is { } reason)
        {
            var refused = Refuse(request, reason.Cause, reason.Description);
            await JoinAudit.RecordRefusalAsync(
                store, device, AuditEventTypes.AppSKeyRefused, reason.Cause, refused.ResultCode, reason.Description, peer.Actor(request.SenderID), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return refused;
        }
        var appSKey = keyRing.OpenKey(session.AppSKey, SecretBinding.Session(session.DevEui, session.SessionKeyId.Span));
        var answer = new AppSKeyAns(request.AnswerHeader())
        {
            Result = new Result(ResultCode.Success),
            DevEUI = request.DevEUI,
            AppSKey = KeyEnvelope.Seal(appSKey, peerKeks.Open(server.Kek, SecretBinding.ApplicationServer(server.AsId))),
            SessionKeyID = request.SessionKeyID,
            Lifetime = RemainingSeconds(session),
        };
        var detail = $"SessionKeyID {Convert.ToHexString(request.SessionKeyID)}.";
        await store.AppendEventAsync(JoinAudit.Accepted(device, AuditEventTypes.AppSKeyDelivered, detail, peer.Actor(request.SenderID), time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return new BackendAnswer(answer, request.MessageType, ResultCode.Success, null, request.DevEUI);
    }

    private (JoinError Cause, string Description)? Check(AppSKeyReq request, string asId, Device device, JoinSession session)
    {
        if (!string.Equals(session.AsId, asId, StringComparison.Ordinal))
        {
            return (JoinErrors.NotSessionApplicationServer, $"AS-ID '{asId}' is not the application server of this session of DevEUI {request.DevEUI}.");
        }
        if (session.OwnershipEpoch != device.OwnershipEpoch)
        {
            return (JoinErrors.SessionRevoked, $"The session of DevEUI {request.DevEUI} belongs to an earlier ownership of the device and is revoked.");
        }
        if (session.ExpiresAt <= time.GetUtcNow())
        {
            return (JoinErrors.SessionExpired, $"The session of DevEUI {request.DevEUI} expired at {session.ExpiresAt:O}.");
        }
        return null;
    }

    private uint RemainingSeconds(JoinSession session) =>
        (uint)Math.Max(0, Math.Floor((session.ExpiresAt - time.GetUtcNow()).TotalSeconds));

    private static BackendAnswer Refuse(AppSKeyReq request, JoinError cause, string description) =>
        BackendAnswer.Refusal(request, cause, description, request.DevEUI);
}

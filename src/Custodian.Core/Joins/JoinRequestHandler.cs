using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;

namespace Custodian.Core.Joins;

/// <summary>
/// Answers a JoinReq as a short pipeline of named steps over a <see cref="JoinContext"/>: decode the
/// frame, check the sender's credential, find the device, check it may join and that the sender is its
/// home network, verify the MIC, check the DevNonce, take the JoinNonce, derive the answer, commit.
/// The answer leaves only after the commit: a conflicting write (another join, a claim) restarts the
/// steps from the device read, which then sees the nonce the other join used.
/// </summary>
public sealed class JoinRequestHandler(ICustodianStore store, KeyRing keyRing, PeerKeks peerKeks, JoinServerOptions options, TimeProvider time)
{
    private const int SessionKeyIdSize = 16;
    private const uint MaxJoinNonce = 0xFFFFFF;
    private readonly DeviceCache _cache = new(options.DeviceCacheSize);
    private readonly ApplicationServerKeks _applicationServerKeks = new(store, peerKeks, time);

    public async Task<BackendAnswer> AnswerAsync(JoinReq request, BackendPeer peer, CancellationToken cancellationToken)
    {
        var context = new JoinContext(request, peer);
        if (DecodeFrame(context) && CheckSenderCredential(context))
        {
            await JoinAsync(context, cancellationToken).ConfigureAwait(false);
        }
        if (context.Cause is { } cause && ShouldAudit(context, cause))
        {
            await RecordRefusalAsync(context, cancellationToken).ConfigureAwait(false);
        }
        return context.Answer();
    }

    private async Task JoinAsync(JoinContext context, CancellationToken cancellationToken)
    {
        var useCache = true;
        var conflicts = 0;
        while (true)
        {
            var ready = await FindDeviceAsync(context, useCache, cancellationToken).ConfigureAwait(false)
                && CheckActivation(context)
                && CheckHomeNetwork(context)
                && OpenRootKeys(context)
                && VerifyMic(context)
                && await CheckDevNonceAsync(context, cancellationToken).ConfigureAwait(false)
                && TakeJoinNonce(context)
                && await DeriveAsync(context, cancellationToken).ConfigureAwait(false);
            useCache = false;
            if (!ready)
            {
                if (!context.DeviceFromCache)
                {
                    return;
                }
                // Refused on the cached copy, which may be stale (a DevNonce reset, a new owner): ask the store.
                _cache.Forget(context.Frame.DevEui);
                context.ClearRefusal();
                continue;
            }
            if (await CommitAsync(context, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            _cache.Forget(context.Frame.DevEui);
            if (++conflicts >= options.CommitAttempts)
            {
                context.Refuse(JoinErrors.DeviceChanged, $"The device changed during the join {conflicts} times in a row; send the JoinReq again.");
                return;
            }
        }
    }

    private static bool DecodeFrame(JoinContext context)
    {
        if (!JoinRequest.Decode(context.Request.PHYPayload).TryGetValue(out var frame, out var error))
        {
            return context.RefuseMalformed("PHYPayload: " + error.Message);
        }
        if (frame.DevEui != context.Request.DevEUI)
        {
            return context.RefuseMalformed($"PHYPayload carries DevEUI {frame.DevEui}, the message {context.Request.DevEUI}.");
        }
        context.Frame = frame;
        context.FrameDecoded = true;
        return true;
    }

    private static bool CheckSenderCredential(JoinContext context) =>
        SenderChecks.Credential(context.Request, context.Peer.Network) is not { } refusal
        || context.Refuse(refusal.Cause, refusal.Detail);

    private async Task<bool> FindDeviceAsync(JoinContext context, bool useCache, CancellationToken cancellationToken)
    {
        Device? device = null;
        context.DeviceFromCache = useCache && _cache.TryGet(context.Frame.DevEui, out device);
        device ??= await store.GetDeviceAsync(context.Frame.DevEui, cancellationToken).ConfigureAwait(false);
        // One answer for an unknown DevEUI and a JoinEUI it is not registered under: nothing to enumerate.
        if (device is null || device.JoinEui != context.Frame.JoinEui)
        {
            context.Device = null;
            return context.Refuse(JoinErrors.UnknownDevice, JoinContext.UnknownDevice(context.Frame.DevEui, context.Frame.JoinEui));
        }
        context.Device = device;
        return true;
    }

    private static bool CheckActivation(JoinContext context) =>
        context.Device!.Owner is not null
        || context.Refuse(JoinErrors.DeviceNotClaimed, SenderChecks.NotClaimed(context.Device));

    private static bool CheckHomeNetwork(JoinContext context) =>
        SenderChecks.HomeNetwork(context.Request, context.Peer.Network!, context.Device!) is not { } refusal
        || context.Refuse(refusal.Cause, refusal.Detail);

    private bool OpenRootKeys(JoinContext context)
    {
        var device = context.Device!;
        if (!device.MacVersion.IsLorawan11 && context.Request.MACVersion.Version.IsLorawan11)
        {
            return context.Refuse(JoinErrors.MacVersionMismatch, $"MACVersion {context.Request.MACVersion} was asked for, but DevEUI {device.DevEui} speaks LoRaWAN {device.MacVersion}.");
        }
        var rootKeys = keyRing.OpenRootKeys(device.RootKeys, device.DevEui);
        if (device.MacVersion.IsLorawan11 && rootKeys.AppKey is null)
        {
            return context.Refuse(JoinErrors.AppKeyMissing, $"DevEUI {device.DevEui} is a LoRaWAN 1.1 device without an AppKey.");
        }
        context.JoinDevice = new JoinDevice(device.DevEui, device.JoinEui, device.MacVersion, rootKeys);
        return true;
    }

    private static bool VerifyMic(JoinContext context)
    {
        var nwkKey = new AesCipher(context.JoinDevice!.RootKeys.NwkKey.Key);
        return context.Frame.VerifyMic(in nwkKey)
            || context.Refuse(JoinErrors.MicFailed, "JoinRequest MIC does not verify.");
    }

    private async Task<bool> CheckDevNonceAsync(JoinContext context, CancellationToken cancellationToken)
    {
        var device = context.Device!;
        var devNonce = context.Frame.DevNonce;
        if (device.MacVersion.RequiresIncreasingDevNonce)
        {
            context.RememberDevNonce = false;
            return device.LastDevNonce is not { } last || devNonce.Value > last.Value
                || context.Refuse(JoinErrors.DevNonceTooSmall, $"DevNonce {devNonce} is not greater than the last accepted DevNonce {last} (LoRaWAN {device.MacVersion} counts DevNonces up).");
        }
        context.RememberDevNonce = true;
        return !await store.IsDevNonceUsedAsync(device.DevEui, devNonce, cancellationToken).ConfigureAwait(false)
            || context.Refuse(JoinErrors.DevNonceReused, $"DevNonce {devNonce} has already been used by DevEUI {device.DevEui} (LoRaWAN {device.MacVersion} refuses a replayed DevNonce).");
    }

    /// <summary>The device's counter; 0 is never sent, so that a device's first JoinNonce is 1, as with The Things Stack.</summary>
    private static bool TakeJoinNonce(JoinContext context)
    {
        var next = Math.Max(1u, context.Device!.NextJoinNonce);
        if (next > MaxJoinNonce)
        {
            return context.Refuse(JoinErrors.JoinNonceExhausted, $"DevEUI {context.Device.DevEui} has used every JoinNonce (24 bits); it cannot join again.");
        }
        context.JoinNonce = new JoinNonce(next);
        return true;
    }

    private async Task<bool> DeriveAsync(JoinContext context, CancellationToken cancellationToken)
    {
        var network = context.Peer.Network!;
        var networkKek = peerKeks.Open(network.Kek, SecretBinding.Network(network.NetId, network.NsId));
        // The session is stored under its id in every mode; the id goes out only when an AS may ask for the AppSKey.
        context.SessionKeyId = NewSessionKeyId(time.GetUtcNow());
        var (appSKeyKek, sentSessionKeyId) = network.AppSKeyMode switch
        {
            AppSKeyMode.Network => (networkKek, null),
            AppSKeyMode.NetworkClear => (null, null),
            _ => (await _applicationServerKeks.GetAsync(context.Device!.Owner!.AsId, cancellationToken).ConfigureAwait(false), context.SessionKeyId),
        };
        var answerContext = new JoinAnswerContext(context.JoinNonce, networkKek, appSKeyKek, options.SessionLifetime, sentSessionKeyId);
        var outcome = JoinAnswering.AnswerFrame(context.Request, context.Header, context.Frame, context.JoinDevice!, network.NetId, answerContext);
        if (!outcome.Accepted)
        {
            // The MIC was verified before; the answer's own check is the only way it refuses.
            return context.Refuse(JoinErrors.MicFailed, ((ResultAnswer)outcome.Answer).Result.Description ?? "JoinRequest MIC does not verify.");
        }
        context.Outcome = outcome;
        return true;
    }

    /// <summary>
    /// 8 bytes of time (big-endian ticks), then 8 random bytes: unguessable and unique, and time-ordered so that a
    /// store keyed by it appends new sessions instead of writing into a random place per join.
    /// </summary>
    private static byte[] NewSessionKeyId(DateTimeOffset now)
    {
        var id = new byte[SessionKeyIdSize];
        BinaryPrimitives.WriteInt64BigEndian(id, now.UtcTicks);
        RandomNumberGenerator.Fill(id.AsSpan(sizeof(long)));
        return id;
    }

    /// <summary>Stores nonces, session and event in one transaction; false when the device changed since it was read.</summary>
    private async Task<bool> CommitAsync(JoinContext context, CancellationToken cancellationToken)
    {
        var device = context.Device!;
        var owner = device.Owner!;
        var now = time.GetUtcNow();
        var outcome = context.Outcome!;
        var session = new JoinSession(
            device.DevEui, context.SessionKeyId, device.OwnershipEpoch, context.Peer.Network!.NetId, owner.AsId,
            keyRing.SealKey(outcome.SessionKeys!.Value.AppSKey.Key, SecretBinding.Session(device.DevEui, context.SessionKeyId)), now, now + options.SessionLifetime);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"DevNonce {context.Frame.DevNonce}, JoinNonce {context.JoinNonce}, MACVersion {context.Request.MACVersion}, SessionKeyID {Convert.ToHexString(context.SessionKeyId)}.");
        var commit = new JoinCommit(
            device with { LastDevNonce = context.Frame.DevNonce, NextJoinNonce = context.JoinNonce.Value + 1, LastJoinAt = now },
            device.Version,
            context.Frame.DevNonce,
            context.RememberDevNonce,
            session,
            JoinAudit.Accepted(device, AuditEventTypes.JoinAccepted, detail, context.Peer.Actor(context.Request.SenderID), now));
        if (await store.CommitJoinAsync(commit, cancellationToken).ConfigureAwait(false) != JoinCommitResult.Committed)
        {
            return false;
        }
        _cache.Committed(commit.Device, commit.ExpectedVersion);
        return true;
    }

    /// <summary>
    /// Whether a refusal goes to the device's tenant's log: not when the sender's credential failed (anyone can
    /// send those, so they would let anyone write into any log), nor when the frame did not decode or no device
    /// was found (there is nobody to tell).
    /// </summary>
    private static bool ShouldAudit(JoinContext context, JoinError cause) =>
        context.FrameDecoded && !cause.Authentication && cause != JoinErrors.UnknownDevice;

    /// <summary>A refused join of a known device goes to its tenant's log, with the precise cause.</summary>
    private async Task RecordRefusalAsync(JoinContext context, CancellationToken cancellationToken)
    {
        var device = context.Device ?? await store.GetDeviceAsync(context.Frame.DevEui, cancellationToken).ConfigureAwait(false);
        if (device is null || device.JoinEui != context.Frame.JoinEui)
        {
            return;
        }
        await JoinAudit.RecordRefusalAsync(
            store, device, AuditEventTypes.JoinRefused, context.Cause!, context.ResultCode, context.Detail!,
            context.Peer.Actor(context.Request.SenderID), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }
}

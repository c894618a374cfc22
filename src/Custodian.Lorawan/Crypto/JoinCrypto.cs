using Custodian.Lorawan.Frames;

namespace Custodian.Lorawan.Crypto;

/// <summary>
/// A device's root keys. A LoRaWAN 1.0.x device has one key, held as its <see cref="NwkKey"/>
/// (as The Things Stack and ChirpStack store it); a 1.1 device also has an <see cref="AppKey"/>.
/// </summary>
public readonly record struct RootKeys(NwkKey NwkKey, AppKey? AppKey)
{
    public static RootKeys ForLorawan10(NwkKey singleRootKey) => new(singleRootKey, null);

    public static RootKeys ForLorawan11(NwkKey nwkKey, AppKey appKey) => new(nwkKey, appKey);
}

/// <summary>The fields of a JoinAccept that the network (and the Join Server's counters) choose.</summary>
public readonly record struct JoinAcceptFields(JoinNonce JoinNonce, NetId NetId, DevAddr DevAddr, DLSettings DLSettings, RxDelay RxDelay, CFList? CFList);

/// <summary>The outcome of <see cref="JoinCrypto.Answer(ReadOnlySpan{byte}, in RootKeys, MacVersion, in JoinAcceptFields, Span{byte})"/>.</summary>
public readonly record struct JoinAnswer(JoinRequest Request, SessionKeys SessionKeys, int JoinAcceptLength);

/// <summary>
/// The cryptography of answering one JoinRequest, in one allocation-free call: decode the request,
/// verify its MIC, derive the session keys, then build, sign and encrypt the JoinAccept.
/// </summary>
public static class JoinCrypto
{
    /// <summary>
    /// Answers <paramref name="joinRequest"/> into <paramref name="joinAccept"/> (at least 33 bytes).
    /// Returns a <see cref="FrameError"/> when the request does not decode or its MIC does not verify.
    /// </summary>
    public static FrameResult<JoinAnswer> Answer(ReadOnlySpan<byte> joinRequest, in RootKeys rootKeys, MacVersion macVersion, in JoinAcceptFields fields, Span<byte> joinAccept)
    {
        if (!JoinRequest.Decode(joinRequest).TryGetValue(out var request, out var error))
        {
            return error;
        }
        return Answer(in request, in rootKeys, macVersion, in fields, joinAccept);
    }

    /// <summary>As above, for a request the caller has already decoded (to look up the device).</summary>
    public static FrameResult<JoinAnswer> Answer(in JoinRequest request, in RootKeys rootKeys, MacVersion macVersion, in JoinAcceptFields fields, Span<byte> joinAccept)
    {
        // Every path below signs the request, and encrypts the accept, with the NwkKey (a 1.0.x device's only key).
        var nwkKey = new AesCipher(rootKeys.NwkKey.Key);
        if (!request.VerifyMic(in nwkKey))
        {
            return FrameError.MicMismatch("JoinRequest");
        }
        var accept = new JoinAccept(fields.JoinNonce, fields.NetId, fields.DevAddr, fields.DLSettings, fields.RxDelay, fields.CFList, default);
        SessionKeys sessionKeys;
        if (macVersion.IsLorawan11 && fields.DLSettings.OptNeg)
        {
            var appKey = new AesCipher(RequireAppKey(in rootKeys).Key);
            var jsIntKey = new AesCipher(KeyDerivation.DeriveJSIntKey(in nwkKey, request.DevEui).Key);
            sessionKeys = KeyDerivation.DeriveLorawan11(in nwkKey, in appKey, fields.JoinNonce, request.JoinEui, request.DevNonce);
            accept = accept.Sign11(in jsIntKey, JoinReqType.JoinRequest, request.JoinEui, request.DevNonce.Value);
        }
        else
        {
            // 1.0.x, or a 1.1 device on a 1.0 network (OptNeg unset): both session keys and the MIC from the NwkKey.
            sessionKeys = KeyDerivation.DeriveLorawan10(in nwkKey, fields.JoinNonce, fields.NetId, request.DevNonce);
            accept = accept.SignLegacy(in nwkKey);
        }
        var length = accept.Encrypt(in nwkKey, joinAccept);
        return new JoinAnswer(request, sessionKeys, length);
    }

    private static AppKey RequireAppKey(in RootKeys rootKeys) =>
        rootKeys.AppKey ?? throw new ArgumentException("A LoRaWAN 1.1 join with OptNeg needs the device's AppKey.", nameof(rootKeys));
}

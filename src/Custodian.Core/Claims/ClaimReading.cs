using System.Diagnostics.CodeAnalysis;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Peers;
using Custodian.Lorawan.Qr;

namespace Custodian.Core.Claims;

/// <summary>Checks a <see cref="ClaimRequest"/> field by field and turns it into a <see cref="ClaimTarget"/>.</summary>
public static class ClaimReading
{
    public static bool TryRead(ClaimRequest request, [NotNullWhen(true)] out ClaimTarget? target, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        target = null;
        QrCode? qr = null;
        if (request.Qr is not null && !QrCode.TryParse(request.Qr, out qr, out var qrError))
        {
            failure = Invalid("qr", qrError + ".");
            return false;
        }
        if (!TryReadEui<JoinEui>("joinEui", request.JoinEui, qr?.JoinEui, out var joinEui, out failure)
            || !TryReadEui<DevEui>("devEui", request.DevEui, qr?.DevEui, out var devEui, out failure)
            || !TryReadCode(request.ClaimCode, qr?.OwnerToken, out var code, out failure)
            || !TryReadHome(request.HomeNetId, request.HomeNsId, request.AsId, out var home, out failure))
        {
            return false;
        }
        target = new ClaimTarget(joinEui, devEui, code, home);
        return true;
    }

    /// <summary>
    /// Reads the home network of a claim: NetID required, NSID and AS-ID optional. An empty or blank NSID or AS-ID
    /// is absent: The Things Stack's Device Claiming Server always sends <c>"asID": ""</c> when none is configured.
    /// Errors name the fields as <paramref name="names"/> spells them (v1's by default).
    /// </summary>
    public static bool TryReadHome(
        string? homeNetId, string? homeNsId, string? asId, [NotNullWhen(true)] out HomeNetwork? home, [NotNullWhen(false)] out CustodianFailure? failure,
        HomeFieldNames? names = null)
    {
        names ??= HomeFieldNames.V1;
        home = null;
        if (string.IsNullOrWhiteSpace(homeNetId))
        {
            failure = Invalid(names.NetId, $"{names.NetId} is required: the NetID of the network the device will join through.");
            return false;
        }
        if (!NetId.TryParse(homeNetId, out var netId, out var error))
        {
            failure = Invalid(names.NetId, error);
            return false;
        }
        string? nsId = null;
        if (!string.IsNullOrWhiteSpace(homeNsId) && !PeerIdentifiers.TryParseNsId(homeNsId, out nsId, out error))
        {
            failure = Invalid(names.NsId, error);
            return false;
        }
        string? checkedAsId = null;
        if (!string.IsNullOrWhiteSpace(asId) && !PeerIdentifiers.TryParseAsId(asId, out checkedAsId, out error))
        {
            failure = Invalid(names.AsId, error);
            return false;
        }
        home = new HomeNetwork(netId, nsId, checkedAsId);
        failure = null;
        return true;
    }

    private static bool TryReadEui<T>(string field, string? text, T? fromQr, out T value, [NotNullWhen(false)] out CustodianFailure? failure)
        where T : struct, ISpanParsable<T>, IEquatable<T>
    {
        value = default;
        failure = null;
        if (text is null)
        {
            if (fromQr is { } scanned)
            {
                value = scanned;
                return true;
            }
            failure = Invalid(field, $"{field} is required (or a qr that carries it).");
            return false;
        }
        if (!T.TryParse(text.Trim(), null, out value))
        {
            failure = Invalid(field, $"{Quote(text)} is not an EUI-64: expected 16 hex digits.");
            return false;
        }
        if (fromQr is { } qrValue && !qrValue.Equals(value))
        {
            failure = Invalid(field, $"{field} {value} differs from the QR code's {qrValue}.");
            return false;
        }
        return true;
    }

    private static bool TryReadCode(string? text, string? fromQr, out ClaimCode code, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        code = default;
        failure = null;
        if (text is null && fromQr is null)
        {
            failure = Invalid("claimCode", "claimCode is required (or a qr that carries the owner token).");
            return false;
        }
        var field = text is null ? "qr" : "claimCode";
        if (!ClaimCode.TryParse(text ?? fromQr, out code, out var error))
        {
            failure = Invalid(field, error);
            return false;
        }
        if (text is not null && fromQr is not null && !code.Matches(fromQr))
        {
            failure = Invalid("claimCode", "claimCode differs from the QR code's owner token.");
            return false;
        }
        return true;
    }

    private static string Quote(string text) => text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…'";

    private static CustodianFailure Invalid(string field, string error) => CustodianErrors.InvalidField.With($"{field}: {error}");
}

/// <summary>How a claim API names the home-network fields in its errors: v1 <c>homeNetId</c>, v2 <c>homeNetID</c>.</summary>
public sealed record HomeFieldNames(string NetId, string NsId, string AsId)
{
    public static HomeFieldNames V1 { get; } = new("homeNetId", "homeNsId", "asId");

    public static HomeFieldNames V2 { get; } = new("homeNetID", "homeNSID", "asID");

    /// <summary>A message that starts with a v1 field name (<c>"asId: …"</c>) with that name spelled as these names spell it.</summary>
    public string Rename(string message)
    {
        foreach (var (v1, mine) in new[] { (V1.NetId, NetId), (V1.NsId, NsId), (V1.AsId, AsId) })
        {
            if (message.StartsWith(v1 + ":", StringComparison.Ordinal))
            {
                return mine + message[v1.Length..];
            }
        }
        return message;
    }
}

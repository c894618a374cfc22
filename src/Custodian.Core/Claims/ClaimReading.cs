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

    /// <summary>Reads the home network of a claim: NetID required, NSID and AS-ID optional.</summary>
    public static bool TryReadHome(string? homeNetId, string? homeNsId, string? asId, [NotNullWhen(true)] out HomeNetwork? home, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        home = null;
        if (string.IsNullOrWhiteSpace(homeNetId))
        {
            failure = Invalid("homeNetId", "homeNetId is required: the NetID of the network the device will join through.");
            return false;
        }
        if (!NetId.TryParse(homeNetId, out var netId, out var error))
        {
            failure = Invalid("homeNetId", error);
            return false;
        }
        string? nsId = null;
        if (homeNsId is not null && !PeerIdentifiers.TryParseNsId(homeNsId, out nsId, out error))
        {
            failure = Invalid("homeNsId", error);
            return false;
        }
        string? checkedAsId = null;
        if (asId is not null && !PeerIdentifiers.TryParseAsId(asId, out checkedAsId, out error))
        {
            failure = Invalid("asId", error);
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

    private static CustodianFailure Invalid(string field, string error) => Errors.Errors.InvalidField.With($"{field}: {error}");
}

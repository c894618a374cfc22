using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Custodian.Core.Custody;
using Custodian.Core.Errors;
using Custodian.Core.Peers;
using Custodian.Lorawan.Qr;

namespace Custodian.Core.Devices;

/// <summary>
/// Turns a maker's <see cref="DeviceProvisionRequest"/> into a <see cref="Device"/> ready to store: checks every
/// field, generates the root keys and claim code that were not given, seals them, and writes the TR005 QR text.
/// Pure apart from the random generator and the clock; whether a home network exists is checked by the caller.
/// </summary>
public sealed class DeviceProvisioning(KeyRing keyRing, TimeProvider time)
{
    public const int MaxSerialNumberLength = 64;

    public bool TryPrepare(
        string makerTenantId,
        DeviceProvisionRequest request,
        [NotNullWhen(true)] out ProvisionedDevice? prepared,
        [NotNullWhen(false)] out CustodianFailure? failure)
    {
        prepared = null;
        if (!TryReadIdentity(request, out var identity, out failure)
            || !TryReadRootKeys(request, identity.MacVersion, out var keys, out failure)
            || !TryReadClaim(request, out var claim, out failure)
            || !TryReadProfile(request, out var profile, out failure)
            || !TryReadHome(request, out var home, out failure))
        {
            return false;
        }
        var now = time.GetUtcNow();
        var device = new Device
        {
            DevEui = identity.DevEui,
            JoinEui = identity.JoinEui,
            MacVersion = identity.MacVersion,
            MakerTenantId = makerTenantId,
            RootKeys = keyRing.SealRootKeys(keys.RootKeys, identity.DevEui),
            ClaimCode = keyRing.SealClaimCode(claim.Code, identity.DevEui),
            ClaimValidFrom = claim.ValidFrom,
            ClaimValidUntil = claim.ValidUntil,
            VendorId = profile.VendorId,
            VendorProfileId = profile.VendorProfileId,
            SerialNumber = profile.SerialNumber,
            // A pre-activated device is its maker's from the start: the first ownership, epoch 1.
            Owner = home is null ? null : new Ownership(makerTenantId, home.NetId, home.NsId, home.AsId, now),
            OwnershipEpoch = home is null ? 0 : 1,
            CreatedAt = now,
        };
        prepared = new ProvisionedDevice(device, claim.Code, QrText(device, claim.Code), keys.GeneratedAppKey, keys.GeneratedNwkKey, home);
        return true;
    }

    /// <summary>The TR005 text printed on the device's label: EUIs, profile, claim code (owner token) and serial number.</summary>
    public static string QrText(Device device, ClaimCode code) =>
        QrCode.ForTr005(
            device.JoinEui,
            device.DevEui,
            device.VendorId ?? 0,
            device.VendorProfileId ?? 0,
            ownerToken: code.ExportSecret(),
            serial: device.SerialNumber ?? "").Encode();

    private static bool TryReadIdentity(DeviceProvisionRequest request, out Identity identity, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        identity = default;
        if (!Required(request.JoinEui, "joinEui", out var joinEuiText, out failure)
            || !Required(request.DevEui, "devEui", out var devEuiText, out failure)
            || !Required(request.MacVersion, "macVersion", out var macVersionText, out failure))
        {
            return false;
        }
        if (!JoinEui.TryParse(joinEuiText, out var joinEui, out var error))
        {
            failure = Invalid("joinEui", error);
            return false;
        }
        if (!DevEui.TryParse(devEuiText, out var devEui, out error))
        {
            failure = Invalid("devEui", error);
            return false;
        }
        if (!MacVersion.TryParse(macVersionText, out var macVersion, out error))
        {
            failure = Invalid("macVersion", error);
            return false;
        }
        identity = new Identity(joinEui, devEui, macVersion);
        return true;
    }

    private static bool TryReadRootKeys(DeviceProvisionRequest request, MacVersion macVersion, out Keys keys, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        keys = default;
        if (!TryReadKey(request.AppKey, "appKey", out var appKey, out var appKeyGenerated, out failure))
        {
            return false;
        }
        if (!macVersion.IsLorawan11)
        {
            if (request.NwkKey is not null)
            {
                failure = Invalid("nwkKey", $"A LoRaWAN {macVersion} device has one root key, given as appKey; nwkKey is for LoRaWAN 1.1.");
                return false;
            }
            // LoRaWAN 1.0.x calls its only root key AppKey; the derivations use it where 1.1 uses NwkKey.
            keys = new Keys(RootKeys.ForLorawan10(new NwkKey(appKey)), appKeyGenerated ? appKey : null, null);
            return true;
        }
        if (!TryReadKey(request.NwkKey, "nwkKey", out var nwkKey, out var nwkKeyGenerated, out failure))
        {
            return false;
        }
        keys = new Keys(
            RootKeys.ForLorawan11(new NwkKey(nwkKey), new AppKey(appKey)),
            appKeyGenerated ? appKey : null,
            nwkKeyGenerated ? nwkKey : null);
        return true;
    }

    private static bool TryReadKey(string? text, string field, out Key128 key, out bool generated, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        generated = text is null;
        failure = null;
        if (text is null)
        {
            key = Key128.Generate();
            return true;
        }
        if (!Key128.TryParse(text, out key, out var error))
        {
            failure = Invalid(field, error);
            return false;
        }
        return true;
    }

    private static bool TryReadClaim(DeviceProvisionRequest request, out Claim claim, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        claim = default;
        failure = null;
        var code = ClaimCode.Generate();
        if (request.ClaimCode is not null && !ClaimCode.TryParse(request.ClaimCode, out code, out var error))
        {
            failure = Invalid("claimCode", error);
            return false;
        }
        if (request.ClaimValidFrom is { } from && request.ClaimValidUntil is { } until && from >= until)
        {
            failure = Invalid("claimValidUntil", "The claim validity window is empty: claimValidUntil must be later than claimValidFrom.");
            return false;
        }
        claim = new Claim(code, request.ClaimValidFrom?.ToUniversalTime(), request.ClaimValidUntil?.ToUniversalTime());
        return true;
    }

    private static bool TryReadProfile(DeviceProvisionRequest request, out Profile profile, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        profile = default;
        if (!TryReadUInt16Hex(request.VendorId, "vendorId", out var vendorId, out failure)
            || !TryReadUInt16Hex(request.VendorProfileId, "vendorProfileId", out var vendorProfileId, out failure))
        {
            return false;
        }
        var serial = request.SerialNumber;
        if (serial is not null)
        {
            var error = serial.Length is 0 or > MaxSerialNumberLength
                ? $"A serial number is 1 to {MaxSerialNumberLength} characters, got {serial.Length}."
                : serial.Contains(':') || serial.Any(char.IsControl)
                    ? "A serial number may not hold ':' or control characters (it is carried in the TR005 QR text)."
                    : serial.Trim().Length != serial.Length
                        ? "A serial number may not start or end with whitespace."
                        : null;
            if (error is not null)
            {
                failure = Invalid("serialNumber", error);
                return false;
            }
        }
        profile = new Profile(vendorId, vendorProfileId, serial);
        return true;
    }

    private static bool TryReadUInt16Hex(string? text, string field, out ushort? value, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        value = null;
        failure = null;
        if (text is null)
        {
            return true;
        }
        if (text.Length != 4 || !ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var parsed))
        {
            failure = Invalid(field, "Expected 4 hex digits.");
            return false;
        }
        value = parsed;
        return true;
    }

    private static bool TryReadHome(DeviceProvisionRequest request, out HomeNetwork? home, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        home = null;
        failure = null;
        if (request.HomeNetId is null)
        {
            var orphan = request.HomeNsId is not null ? "homeNsId" : request.AsId is not null ? "asId" : null;
            if (orphan is not null)
            {
                failure = Invalid(orphan, $"{orphan} provisions a pre-activated device and needs homeNetId.");
                return false;
            }
            return true;
        }
        if (!NetId.TryParse(request.HomeNetId, out var netId, out var error))
        {
            failure = Invalid("homeNetId", error);
            return false;
        }
        string? nsId = null;
        if (request.HomeNsId is not null && !PeerIdentifiers.TryParseNsId(request.HomeNsId, out nsId, out error))
        {
            failure = Invalid("homeNsId", error);
            return false;
        }
        string? asId = null;
        if (request.AsId is not null && !PeerIdentifiers.TryParseAsId(request.AsId, out asId, out error))
        {
            failure = Invalid("asId", error);
            return false;
        }
        home = new HomeNetwork(netId, nsId, asId);
        return true;
    }

    private static bool Required(string? text, string field, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        value = text;
        failure = string.IsNullOrWhiteSpace(text) ? Invalid(field, $"{field} is required.") : null;
        return failure is null;
    }

    private static CustodianFailure Invalid(string field, string error) => CustodianErrors.InvalidField.With($"{field}: {error}");

    private readonly record struct Identity(JoinEui JoinEui, DevEui DevEui, MacVersion MacVersion);

    private readonly record struct Keys(RootKeys RootKeys, Key128? GeneratedAppKey, Key128? GeneratedNwkKey);

    private readonly record struct Claim(ClaimCode Code, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);

    private readonly record struct Profile(ushort? VendorId, ushort? VendorProfileId, string? SerialNumber);
}

/// <summary>Where a pre-activated device is homed.</summary>
public sealed record HomeNetwork(NetId NetId, string? NsId, string? AsId);

/// <summary>
/// A device ready to store and what its maker sees once: the claim code, the QR text and the keys Custodian
/// generated (uploaded keys are never echoed). For a 1.0.x device the generated root key is <see cref="GeneratedAppKey"/>.
/// </summary>
public sealed record ProvisionedDevice(
    Device Device,
    ClaimCode ClaimCode,
    string Qr,
    Key128? GeneratedAppKey,
    Key128? GeneratedNwkKey,
    HomeNetwork? Home)
{
    // The QR text carries the claim code; a record would print it.
    public override string ToString() => $"ProvisionedDevice {{ DevEui = {Device.DevEui} }}";
}

using Custodian.Core.Custody;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Devices;

/// <summary>
/// A maker's new claim code for a device nobody owns: the way back when a code is lost (a label gone, or the one
/// answer of an owner's rotation on unclaiming never read). The new code replaces every earlier one, is the maker's
/// again (it may print the label), has no validity window and clears a wrong-code lock-out. Anyone but the maker
/// gets the same 404 as for no device; while any tenant owns the device (the maker itself included) it is a 409.
/// </summary>
public sealed class ClaimCodeReissuer(ICustodianStore store, KeyRing keyRing, TimeProvider time)
{
    public async Task<ClaimCodeReissue> ReissueAsync(string makerTenantId, string actor, DevEui devEui, CancellationToken cancellationToken)
    {
        // Generated once, outside the update, so that a retried update stores the code we return.
        var code = ClaimCode.Generate();
        CustodianFailure? failure = null;
        var stored = await store.UpdateDeviceAsync(devEui, device =>
        {
            failure = Refusal(device, makerTenantId);
            return failure is null ? Reissued(device, code) : null;
        }, cancellationToken);
        if (stored is null)
        {
            return new ClaimCodeReissue(null, default, null, NotFound(devEui, makerTenantId));
        }
        if (failure is not null)
        {
            return new ClaimCodeReissue(null, default, null, failure);
        }
        await store.AppendEventAsync(
            new AuditEvent(0, time.GetUtcNow(), makerTenantId, AuditEventTypes.ClaimCodeRotated, devEui, null,
                "The maker issued a new claim code; every earlier one no longer claims the device.", actor),
            cancellationToken);
        return new ClaimCodeReissue(stored, code, DeviceProvisioning.QrText(stored, code), null);
    }

    private static CustodianFailure? Refusal(Device device, string makerTenantId)
    {
        if (device.MakerTenantId != makerTenantId)
        {
            return NotFound(device.DevEui, makerTenantId);
        }
        return device.Owner is null
            ? null
            : CustodianErrors.DeviceOwned.With(
                $"Device {device.DevEui} is owned: its owner unclaims it (optionally with a new claim code) before its maker can issue one.");
    }

    private Device Reissued(Device device, ClaimCode code) => device with
    {
        ClaimCode = keyRing.SealClaimCode(code, device.DevEui),
        ClaimCodeIssuer = null,
        ClaimValidFrom = null,
        ClaimValidUntil = null,
        FailedClaims = 0,
        ClaimLockedUntil = null,
    };

    private static CustodianFailure NotFound(DevEui devEui, string tenantId) =>
        CustodianErrors.DeviceNotFound.With($"No device {devEui} is visible to tenant '{tenantId}' as its maker.");
}

/// <summary>The new code and its TR005 QR text (shown once), or why there is none.</summary>
public sealed record ClaimCodeReissue(Device? Device, ClaimCode Code, string? Qr, CustodianFailure? Failure);

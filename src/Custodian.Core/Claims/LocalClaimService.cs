using Custodian.Core.Claims.Policy;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;

namespace Custodian.Core.Claims;

/// <summary>
/// Claims, unclaims and status for the devices this server holds. A batch is decided in one store
/// transaction (<see cref="IDeviceRegistry.ApplyDeviceChangesAsync"/>), each item on its own: the code first
/// (constant time, then its validity window), ownership second. An unknown device and a wrong code give the
/// same answer, so that nobody can learn which devices exist. Lock-outs and budgets are the
/// <see cref="ClaimPolicy"/>'s, around this service; here a device only counts every claimant's wrong codes
/// together and alerts its holder each <see cref="ClaimLockout.DeviceAlertEvery"/> of them, locking nobody out.
/// </summary>
public sealed class LocalClaimService(
    ICustodianStore store,
    KeyRing keyRing,
    TimeProvider time,
    ClaimLockout lockout,
    IClaimPolicyObserver? observer = null) : IClaimService
{
    /// <summary>The name this server goes by in claim statuses and routes.</summary>
    public const string JoinServerName = "local";

    /// <summary>The actor of an event in one tenant's log about what another tenant did: never its id or its key's.</summary>
    public const string AnotherTenant = "tenant:other";

    public async Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken)
    {
        var now = Now();
        var outcomes = new ClaimOutcome[targets.Count];
        var alerts = new int[targets.Count];
        var changes = new List<DeviceChange>(targets.Count);
        var homes = new HomeNetworkCheck(store);
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var index = i;
            if (await homes.FindMissingAsync(target.Home, cancellationToken) is { } early)
            {
                outcomes[i] = ClaimOutcome.Failed(target.DevEui, early);
                changes.Add(new DeviceChange(target.DevEui, _ => Audit(Failure(claimant, target.DevEui, early, now))));
                continue;
            }
            changes.Add(new DeviceChange(target.DevEui, device => Decide(claimant, target, device, now, out outcomes[index], out alerts[index])));
        }
        await store.ApplyDeviceChangesAsync(changes, cancellationToken);
        for (var i = 0; i < targets.Count; i++)
        {
            if (alerts[i] > 0)
            {
                observer?.DeviceAlert(targets[i].DevEui, alerts[i]);
            }
        }
        return outcomes;
    }

    public async Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken)
    {
        var device = await store.GetDeviceAsync(devEui, cancellationToken);
        return device?.Owner is { } owner && owner.TenantId == claimant.TenantId
            ? new ClaimStatusOutcome(StatusOf(device, owner), null)
            : new ClaimStatusOutcome(null, NotYours(devEui, claimant));
    }

    public async Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken)
    {
        var devices = await store.ListOwnedDevicesAsync(claimant.TenantId, after, limit + 1, cancellationToken);
        var page = devices.Take(limit).Select(d => StatusOf(d, d.Owner!)).ToList();
        return new ClaimPage(page, devices.Count > limit ? page[^1].DevEui : null);
    }

    public async Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken)
    {
        var now = Now();
        var outcomes = new UnclaimOutcome[devEuis.Count];
        var changes = new List<DeviceChange>(devEuis.Count);
        for (var i = 0; i < devEuis.Count; i++)
        {
            var index = i;
            // Generated once, outside the decision, so that a retried transaction stores the code we return.
            ClaimCode? newCode = rotateCode ? ClaimCode.Generate() : null;
            changes.Add(new DeviceChange(devEuis[i], device => DecideUnclaim(claimant, devEuis[index], device, newCode, now, out outcomes[index])));
        }
        await store.ApplyDeviceChangesAsync(changes, cancellationToken);
        return outcomes;
    }

    public JoinEuiInfo Describe(JoinEui joinEui) => new(joinEui, true, JoinServerName);

    // The stores keep microseconds: a claim's answer shows its time as every later read will.
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private DeviceDecision Decide(Claimant claimant, ClaimTarget target, Device? device, DateTimeOffset now, out ClaimOutcome outcome, out int alert)
    {
        alert = 0;
        // A device with another JoinEUI is, to this claimant, an unknown device: its wrong code is not the device's.
        if (device is null || target.JoinEui is { } joinEui && joinEui != device.JoinEui)
        {
            outcome = ClaimOutcome.Failed(target.DevEui, Refused(target));
            return Audit(Failure(claimant, target.DevEui, outcome.Failure!, now));
        }
        if (keyRing.OpenClaimCode(device.ClaimCode, device.DevEui) != target.Code)
        {
            return WrongCode(claimant, target, device, now, out outcome, out alert);
        }
        if (OutsideWindow(device, now) is { } window)
        {
            outcome = ClaimOutcome.Failed(device.DevEui, window);
            return Audit(Failure(claimant, device.DevEui, window, now));
        }
        return DecideOwnership(claimant, target, device, now, out outcome);
    }

    // Counted on the device for every claimant together; the claimant's own lock-out is the policy's.
    private DeviceDecision WrongCode(Claimant claimant, ClaimTarget target, Device device, DateTimeOffset now, out ClaimOutcome outcome, out int alert)
    {
        var failures = device.FailedClaims + 1;
        outcome = ClaimOutcome.Failed(device.DevEui, Refused(target));
        List<AuditEvent> events = [Failure(claimant, device.DevEui, outcome.Failure!, now)];
        alert = lockout.DeviceAlertEvery > 0 && failures % lockout.DeviceAlertEvery == 0 ? failures : 0;
        if (alert > 0)
        {
            var holder = device.Owner?.TenantId ?? device.MakerTenantId;
            events.Add(new AuditEvent(0, now, holder, AuditEventTypes.ClaimAttackSuspected, device.DevEui, CustodianErrors.ClaimRefused.Code,
                $"{failures} wrong claim codes for this device so far, from all claimants together; each claimant is locked out on its own, nobody else is.",
                null));
        }
        // A device-wide lock of earlier versions is lifted: it let a stranger lock the buyer out.
        return new DeviceDecision(device with { FailedClaims = failures, ClaimLockedUntil = null }, events);
    }

    private DeviceDecision DecideOwnership(Claimant claimant, ClaimTarget target, Device device, DateTimeOffset now, out ClaimOutcome outcome)
    {
        var asked = new Ownership(claimant.TenantId, target.Home.NetId, target.Home.NsId, target.Home.AsId, now, target.Lock);
        if (device.Owner is { } owner && owner == asked with { ClaimedAt = owner.ClaimedAt, Locked = owner.Locked })
        {
            // The same owner and home: nothing to revoke. Only a changed lock or a failure count is written.
            var kept = owner with { Locked = target.Lock };
            outcome = new ClaimOutcome(device.DevEui, ClaimResult.AlreadyClaimed, StatusOf(device, kept), null);
            return kept == owner && device.FailedClaims == 0
                ? DeviceDecision.Nothing
                : new DeviceDecision(device with { Owner = kept, FailedClaims = 0 }, []);
        }
        if (device.Owner is { Locked: true } other && other.TenantId != claimant.TenantId)
        {
            var failure = CustodianErrors.DeviceClaimed.With($"Device {device.DevEui} is claimed by another owner; it must unclaim the device first.");
            outcome = ClaimOutcome.Failed(device.DevEui, failure);
            return Audit(Failure(claimant, device.DevEui, failure, now));
        }

        // A new claim, a move to another home network, or taking over an unlocked claim: a new ownership
        // epoch, which ends the sessions issued under the previous one.
        var claimed = device with { Owner = asked, OwnershipEpoch = device.OwnershipEpoch + 1, FailedClaims = 0, ClaimLockedUntil = null };
        outcome = new ClaimOutcome(device.DevEui, ClaimResult.Claimed, StatusOf(claimed, asked), null);
        List<AuditEvent> events = [new(0, now, claimant.TenantId, AuditEventTypes.ClaimSucceeded, device.DevEui, null, Describe(asked), claimant.Actor)];
        if (device.MakerTenantId != claimant.TenantId)
        {
            // Who claimed the device is not the maker's to know: neither the tenant nor its key is named.
            events.Add(new AuditEvent(0, now, device.MakerTenantId, AuditEventTypes.DeviceClaimed, device.DevEui, null,
                "Claimed by another tenant.", AnotherTenant));
        }
        return new DeviceDecision(claimed, events);
    }

    private DeviceDecision DecideUnclaim(Claimant claimant, DevEui devEui, Device? device, ClaimCode? newCode, DateTimeOffset now, out UnclaimOutcome outcome)
    {
        if (device?.Owner is not { } owner || owner.TenantId != claimant.TenantId)
        {
            outcome = new UnclaimOutcome(devEui, NotYours(devEui, claimant), null);
            return DeviceDecision.Nothing;
        }
        var released = device with { Owner = null, OwnershipEpoch = device.OwnershipEpoch + 1 };
        List<AuditEvent> events = [new(0, now, claimant.TenantId, AuditEventTypes.Unclaimed, devEui, null,
            $"Unclaimed from network {owner.HomeNetId}; its sessions are revoked.", claimant.Actor)];
        if (newCode is { } code)
        {
            released = released with
            {
                ClaimCode = keyRing.SealClaimCode(code, devEui),
                // Shown once, to the tenant that asked: a maker holding the device again must not read another's code.
                ClaimCodeIssuer = claimant.TenantId == device.MakerTenantId ? null : claimant.TenantId,
                ClaimValidFrom = null,
                ClaimValidUntil = null,
                FailedClaims = 0,
                ClaimLockedUntil = null,
            };
            events.Add(new AuditEvent(0, now, claimant.TenantId, AuditEventTypes.ClaimCodeRotated, devEui, null,
                "A new claim code was issued; the previous one no longer claims the device.", claimant.Actor));
        }
        outcome = new UnclaimOutcome(devEui, null, newCode);
        return new DeviceDecision(released, events);
    }

    private static CustodianFailure? OutsideWindow(Device device, DateTimeOffset now)
    {
        if (device.ClaimValidFrom is { } from && now < from)
        {
            return CustodianErrors.ClaimCodeNotValidNow.With($"The claim code of device {device.DevEui} is valid from {from:u}.");
        }
        return device.ClaimValidUntil is { } until && now > until
            ? CustodianErrors.ClaimCodeNotValidNow.With($"The claim code of device {device.DevEui} expired at {until:u}.")
            : null;
    }

    // A join before this claim was on another owner's network: not this owner's to see.
    private static ClaimStatus StatusOf(Device device, Ownership owner) =>
        new(device.DevEui, device.JoinEui, owner.HomeNetId, owner.HomeNsId, owner.AsId, owner.Locked, owner.ClaimedAt, JoinServerName,
            device.LastJoinAt >= owner.ClaimedAt ? device.LastJoinAt : null);

    // The same words whether the device is unknown, has another JoinEUI or another code.
    private static CustodianFailure Refused(ClaimTarget target) => Refused(target.DevEui, target.JoinEui);

    internal static CustodianFailure Refused(DevEui devEui, JoinEui? joinEui) =>
        CustodianErrors.ClaimRefused.With(joinEui is { } eui
            ? $"No device {devEui} with JoinEUI {eui} accepts this claim code."
            : $"No device {devEui} accepts this claim code.");

    internal static CustodianFailure Locked(DevEui devEui, DateTimeOffset lockedUntil, DateTimeOffset now) =>
        CustodianErrors.ClaimLocked.With($"Too many wrong claim codes for device {devEui}; claims are refused until {lockedUntil:u}.") with
        {
            RetryAfter = lockedUntil - now,
        };

    private static CustodianFailure NotYours(DevEui devEui, Claimant claimant) =>
        CustodianErrors.DeviceNotFound.With($"Tenant '{claimant.TenantId}' has not claimed a device {devEui}.");

    private static AuditEvent Failure(Claimant claimant, DevEui devEui, CustodianFailure failure, DateTimeOffset now) =>
        new(0, now, claimant.TenantId, AuditEventTypes.ClaimFailed, devEui, failure.Error.Code, failure.Detail, claimant.Actor);

    private static DeviceDecision Audit(AuditEvent auditEvent) => new(null, [auditEvent]);

    private static string Describe(Ownership owner)
    {
        var nsId = owner.HomeNsId is null ? "" : $" (NSID {owner.HomeNsId})";
        var asId = owner.AsId is null ? "" : $", application server '{owner.AsId}'";
        return $"Claimed at network {owner.HomeNetId}{nsId}{asId}{(owner.Locked ? "" : ", unlocked")}.";
    }
}

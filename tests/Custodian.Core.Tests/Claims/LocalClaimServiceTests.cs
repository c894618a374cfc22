using System.Security.Cryptography;
using Custodian.Core.Claims;
using Custodian.Core.Claims.Policy;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Core.Tests.Claims;

/// <summary>The local claim decisions, behind the claim policy as the host runs them, over the in-memory store, with a fake clock.</summary>
public sealed class LocalClaimServiceTests
{
    private static readonly KeyRing Ring = new([new KeyEncryptionKey("k", RandomNumberGenerator.GetBytes(16))], "k");
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000000");
    private static readonly NetId HomeA = NetId.Parse("00000A");
    private static readonly NetId HomeB = NetId.Parse("00000B");
    private static readonly Claimant Maker = new("maker", "apikey:maker");
    private static readonly Claimant Alice = new("alice", "apikey:alice");
    private static readonly Claimant Bob = new("bob", "apikey:bob");
    private static readonly ClaimLockout Lockout = new() { FreeFailures = 3, FirstLock = TimeSpan.FromMinutes(1), LongestLock = TimeSpan.FromMinutes(10) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCustodianStore _store = new();
    private readonly ClaimPolicy _claims;
    private long _nextDevEui = 0x0001_0000_0000_0001;

    public LocalClaimServiceTests()
    {
        var local = new LocalClaimService(_store, Ring, _time, Lockout);
        _claims = new ClaimPolicy(local, _store, new ClaimPolicyOptions { Lockout = Lockout, BudgetEnabled = false }, _time, NoClaimPolicyObserver.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_right_code_claims_an_unclaimed_device_and_bumps_the_epoch()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();

        var outcome = await ClaimAsync(Alice, device.DevEui, code, HomeA);

        outcome.Result.Should().Be(ClaimResult.Claimed);
        outcome.Status!.HomeNetId.Should().Be(HomeA);
        outcome.Status.JoinServer.Should().Be(LocalClaimService.JoinServerName);
        outcome.Status.Locked.Should().BeTrue();
        var stored = await _store.GetDeviceAsync(device.DevEui, Ct);
        stored!.Owner!.TenantId.Should().Be("alice");
        stored.OwnershipEpoch.Should().Be(device.OwnershipEpoch + 1);
        var events = await EventsAsync("alice");
        events.Should().ContainSingle(e => e.Type == AuditEventTypes.ClaimSucceeded && e.DevEui == device.DevEui);
        (await EventsAsync("maker")).Should().ContainSingle(e => e.Type == AuditEventTypes.DeviceClaimed);
    }

    [Fact]
    public async Task The_code_is_read_case_insensitively()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();

        var outcome = await ClaimAsync(Alice, device.DevEui, code.ToLowerInvariant(), HomeA);

        outcome.Result.Should().Be(ClaimResult.Claimed);
    }

    [Fact]
    public async Task Unknown_device_wrong_code_and_wrong_JoinEUI_get_the_same_answer()
    {
        await NetworksAsync();
        var (device, _) = await ProvisionAsync();
        var unknown = new DevEui(0x00FF_0000_0000_0001);

        var wrongCode = await ClaimAsync(Alice, device.DevEui, "WRONGCODE1", HomeA);
        var wrongJoinEui = (await _claims.ClaimAsync(Alice, [Target(device.DevEui, "WRONGCODE1", HomeA, JoinEui.Parse("70B3D57ED0000001"))], Ct))[0];
        var noDevice = await ClaimAsync(Alice, unknown, "WRONGCODE1", HomeA);

        foreach (var outcome in new[] { wrongCode, wrongJoinEui, noDevice })
        {
            outcome.Result.Should().Be(ClaimResult.Failed);
            outcome.Failure!.Error.Should().Be(CustodianErrors.ClaimRefused);
        }
        wrongCode.Failure!.Detail.Should().Be($"No device {device.DevEui} with JoinEUI {JoinEui} accepts this claim code.");
        noDevice.Failure!.Detail.Should().Be($"No device {unknown} with JoinEUI {JoinEui} accepts this claim code.");
        wrongJoinEui.Failure!.Detail.Should().Be($"No device {device.DevEui} with JoinEUI 70B3D57ED0000001 accepts this claim code.");
    }

    [Fact]
    public async Task The_code_is_checked_before_ownership_so_409_needs_the_right_code()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        (await ClaimAsync(Alice, device.DevEui, code, HomeA)).Result.Should().Be(ClaimResult.Claimed);

        var wrong = await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB);
        var right = await ClaimAsync(Bob, device.DevEui, code, HomeB);

        wrong.Failure!.Error.Should().Be(CustodianErrors.ClaimRefused, "a claimed device looks like any other to a wrong code");
        right.Failure!.Error.Should().Be(CustodianErrors.DeviceClaimed);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.Owner!.TenantId.Should().Be("alice");
    }

    [Fact]
    public async Task Claiming_again_is_idempotent_and_a_new_home_re_homes_with_a_new_epoch()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        await ClaimAsync(Alice, device.DevEui, code, HomeA);
        var epoch = (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch;
        var claimedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(5));

        var again = await ClaimAsync(Alice, device.DevEui, code, HomeA);

        again.Result.Should().Be(ClaimResult.AlreadyClaimed);
        again.Status!.ClaimedAt.Should().Be(claimedAt);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch.Should().Be(epoch, "nothing changed");

        var moved = await ClaimAsync(Alice, device.DevEui, code, HomeB);

        moved.Result.Should().Be(ClaimResult.Claimed);
        moved.Status!.HomeNetId.Should().Be(HomeB);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch.Should().Be(epoch + 1, "the old network's sessions end");
    }

    [Fact]
    public async Task The_home_network_and_AS_must_be_registered()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();

        var noNetwork = await ClaimAsync(Alice, device.DevEui, code, NetId.Parse("0000FF"));
        var noAs = (await _claims.ClaimAsync(Alice, [Target(device.DevEui, code, HomeA) with { Home = new HomeNetwork(HomeA, null, "nobody") }], Ct))[0];
        var withAs = (await _claims.ClaimAsync(Alice, [Target(device.DevEui, code, HomeA) with { Home = new HomeNetwork(HomeA, null, "as-1") }], Ct))[0];

        noNetwork.Failure!.Error.Should().Be(CustodianErrors.NetworkNotFound);
        noAs.Failure!.Error.Should().Be(CustodianErrors.ApplicationServerNotFound);
        withAs.Result.Should().Be(ClaimResult.Claimed);
        withAs.Status!.AsId.Should().Be("as-1");
    }

    [Fact]
    public async Task The_validity_window_is_checked_after_the_code()
    {
        await NetworksAsync();
        var now = _time.GetUtcNow();
        var (early, earlyCode) = await ProvisionAsync(r => r with { ClaimValidFrom = now.AddHours(1) });
        var (late, lateCode) = await ProvisionAsync(r => r with { ClaimValidUntil = now.AddHours(-1) });

        var tooEarly = await ClaimAsync(Alice, early.DevEui, earlyCode, HomeA);
        var tooLate = await ClaimAsync(Alice, late.DevEui, lateCode, HomeA);
        var wrongAndEarly = await ClaimAsync(Alice, early.DevEui, "WRONGCODE1", HomeA);

        tooEarly.Failure!.Error.Should().Be(CustodianErrors.ClaimCodeNotValidNow);
        tooLate.Failure!.Error.Should().Be(CustodianErrors.ClaimCodeNotValidNow);
        wrongAndEarly.Failure!.Error.Should().Be(CustodianErrors.ClaimRefused, "the window says nothing to a wrong code");
        _time.Advance(TimeSpan.FromHours(2));
        (await ClaimAsync(Alice, early.DevEui, earlyCode, HomeA)).Result.Should().Be(ClaimResult.Claimed);
    }

    [Fact]
    public async Task Wrong_codes_lock_the_claimant_for_a_growing_time_with_a_Retry_After_but_not_the_buyer()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        for (var i = 0; i < Lockout.FreeFailures; i++)
        {
            (await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB)).Failure!.Error.Should().Be(CustodianErrors.ClaimRefused);
        }

        (await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB)).Failure!.Error.Should().Be(CustodianErrors.ClaimRefused, "the failure that locks is still a refusal");
        var locked = await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB);

        locked.Failure!.Error.Should().Be(CustodianErrors.ClaimLocked);
        locked.Failure.RetryAfter.Should().Be(TimeSpan.FromMinutes(1));
        (await EventsAsync("bob")).Should().Contain(e => e.Type == AuditEventTypes.ClaimLocked, "the claimant learns it locked itself out");
        (await EventsAsync("maker")).Should().NotContain(e => e.Type == AuditEventTypes.ClaimLocked);

        _time.Advance(TimeSpan.FromSeconds(61));
        await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB);
        var longer = await ClaimAsync(Bob, device.DevEui, code, HomeB);
        longer.Failure!.Error.Should().Be(CustodianErrors.ClaimLocked, "even the right code waits, for the locked claimant");
        longer.Failure.RetryAfter.Should().Be(TimeSpan.FromMinutes(2), "the lock doubles");

        (await ClaimAsync(Alice, device.DevEui, code, HomeA)).Result.Should().Be(ClaimResult.Claimed, "another claimant is not locked out");
        var claimed = await _store.GetDeviceAsync(device.DevEui, Ct);
        claimed!.FailedClaims.Should().Be(0, "a successful claim forgets the device's failures");
        claimed.ClaimLockedUntil.Should().BeNull();
    }

    [Fact]
    public async Task A_wrong_JoinEUI_is_an_unknown_device_to_the_claimant_and_does_not_count_on_the_device()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        var other = JoinEui.Parse("0000000000000000");

        for (var i = 0; i < Lockout.FreeFailures + 2; i++)
        {
            await _claims.ClaimAsync(Bob, [Target(device.DevEui, "WRONGCODE1", HomeB, other)], Ct);
        }

        (await _store.GetDeviceAsync(device.DevEui, Ct))!.FailedClaims.Should().Be(0);
        (await _claims.ClaimAsync(Bob, [Target(device.DevEui, code, HomeB, other)], Ct))[0].Failure!.Error.Should().Be(CustodianErrors.ClaimLocked);
        (await ClaimAsync(Alice, device.DevEui, code, HomeA)).Result.Should().Be(ClaimResult.Claimed);
    }

    [Fact]
    public async Task Many_wrong_codes_from_all_claimants_alert_the_holder_and_lock_nobody_else_out()
    {
        var store = new InMemoryCustodianStore();
        var lockout = Lockout with { DeviceAlertEvery = 4 };
        var alerts = new List<(DevEui, int)>();
        var claims = new ClaimPolicy(
            new LocalClaimService(store, Ring, _time, lockout, new RecordingObserver(alerts)), store,
            new ClaimPolicyOptions { Lockout = lockout, BudgetEnabled = false }, _time, NoClaimPolicyObserver.Instance);
        foreach (var netId in new[] { HomeA, HomeB })
        {
            await store.CreateNetworkAsync(new Network(netId, null, null, null, RandomNumberGenerator.GetBytes(32), null, _time.GetUtcNow()), Ct);
        }
        var request = new DeviceProvisionRequest { JoinEui = JoinEui.ToString(), DevEui = "0001000000000ABC", MacVersion = "1.0.3" };
        new DeviceProvisioning(Ring, _time).TryPrepare(Maker.TenantId, request, out var prepared, out _).Should().BeTrue();
        await store.CreateDevicesAsync([prepared!.Device], Ct);
        var devEui = prepared.Device.DevEui;

        foreach (var stranger in new[] { "s1", "s2", "s3", "s4" })
        {
            await claims.ClaimAsync(new Claimant(stranger, "apikey:" + stranger), [Target(devEui, "WRONGCODE1", HomeB)], Ct);
        }

        var makerEvents = await store.ListEventsAsync(new EventQuery(Maker.TenantId, null, null, 100), Ct);
        makerEvents.Should().ContainSingle(e => e.Type == AuditEventTypes.ClaimAttackSuspected && e.DevEui == devEui);
        alerts.Should().Equal((devEui, 4));
        var buyer = await claims.ClaimAsync(Alice, [Target(devEui, prepared.ClaimCode.ExportSecret(), HomeA)], Ct);
        buyer[0].Result.Should().Be(ClaimResult.Claimed);
    }

    [Fact]
    public async Task Unknown_devices_lock_exactly_like_known_ones()
    {
        await NetworksAsync();
        var (device, _) = await ProvisionAsync();
        var unknown = new DevEui(0x00FF_0000_0000_0002);
        var known = new List<ClaimOutcome>();
        var stranger = new List<ClaimOutcome>();
        for (var i = 0; i < Lockout.FreeFailures + 2; i++)
        {
            known.Add(await ClaimAsync(Bob, device.DevEui, "WRONGCODE1", HomeB));
            stranger.Add(await ClaimAsync(Bob, unknown, "WRONGCODE1", HomeB));
        }

        known.Select(o => (o.Failure!.Error.Code, o.Failure.RetryAfter))
            .Should().Equal(stranger.Select(o => (o.Failure!.Error.Code, o.Failure.RetryAfter)));
        known[^1].Failure!.Error.Should().Be(CustodianErrors.ClaimLocked);
        var bobsEvents = await EventsAsync("bob");
        bobsEvents.Count(e => e.DevEui == device.DevEui).Should().Be(bobsEvents.Count(e => e.DevEui == unknown), "the claimant's audit does not tell them apart");
    }

    [Fact]
    public async Task An_unlocked_claim_passes_to_the_next_tenant_with_the_right_code()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        (await _claims.ClaimAsync(Alice, [Target(device.DevEui, code, HomeA) with { Lock = false }], Ct))[0].Status!.Locked.Should().BeFalse();
        var epoch = (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch;

        var taken = await ClaimAsync(Bob, device.DevEui, code, HomeB);

        taken.Result.Should().Be(ClaimResult.Claimed);
        var stored = await _store.GetDeviceAsync(device.DevEui, Ct);
        stored!.Owner!.TenantId.Should().Be("bob");
        stored.OwnershipEpoch.Should().Be(epoch + 1);
        (await _claims.GetStatusAsync(Alice, device.DevEui, Ct)).Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
    }

    [Fact]
    public async Task Unclaim_revokes_by_epoch_and_rotation_makes_the_old_code_fail_and_the_new_one_work()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        await ClaimAsync(Alice, device.DevEui, code, HomeA);
        var claimedEpoch = (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch;

        var byStranger = (await _claims.UnclaimAsync(Bob, [device.DevEui], rotateCode: false, Ct))[0];
        var released = (await _claims.UnclaimAsync(Alice, [device.DevEui], rotateCode: true, Ct))[0];

        byStranger.Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
        released.Succeeded.Should().BeTrue();
        var newCode = released.NewClaimCode!.Value.ExportSecret();
        newCode.Should().NotBe(code).And.HaveLength(ClaimCode.GeneratedLength);
        released.ToString().Should().NotContain(newCode);
        var stored = await _store.GetDeviceAsync(device.DevEui, Ct);
        stored!.Owner.Should().BeNull();
        stored.OwnershipEpoch.Should().Be(claimedEpoch + 1, "the sessions issued under Alice's ownership are revoked");
        var events = await EventsAsync("alice");
        events.Should().Contain(e => e.Type == AuditEventTypes.Unclaimed).And.Contain(e => e.Type == AuditEventTypes.ClaimCodeRotated);
        events.Should().NotContain(e => (e.Detail ?? "").Contains(newCode, StringComparison.Ordinal));

        (await ClaimAsync(Bob, device.DevEui, code, HomeB)).Failure!.Error.Should().Be(CustodianErrors.ClaimRefused, "the old code is gone");
        var bobs = await ClaimAsync(Bob, device.DevEui, newCode, HomeB);
        bobs.Result.Should().Be(ClaimResult.Claimed);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.OwnershipEpoch.Should().Be(claimedEpoch + 2);
    }

    [Fact]
    public async Task Unclaim_without_rotation_keeps_the_code()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        await ClaimAsync(Alice, device.DevEui, code, HomeA);

        var released = (await _claims.UnclaimAsync(Alice, [device.DevEui], rotateCode: false, Ct))[0];

        released.NewClaimCode.Should().BeNull();
        (await ClaimAsync(Bob, device.DevEui, code, HomeB)).Result.Should().Be(ClaimResult.Claimed);
        (await _claims.UnclaimAsync(Alice, [device.DevEui], rotateCode: false, Ct))[0].Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
    }

    [Fact]
    public async Task Rotation_records_the_owner_as_the_code_issuer_and_a_plain_unclaim_does_not()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync();
        device.ClaimCodeIssuer.Should().BeNull("the maker issued the code of provisioning");
        await ClaimAsync(Alice, device.DevEui, code, HomeA);

        (await _claims.UnclaimAsync(Alice, [device.DevEui], rotateCode: false, Ct))[0].Succeeded.Should().BeTrue();
        var plain = await _store.GetDeviceAsync(device.DevEui, Ct);
        plain!.ClaimCodeIssuer.Should().BeNull("a plain unclaim keeps the maker's code");
        plain.MakerIssuedClaimCode.Should().BeTrue();

        await ClaimAsync(Alice, device.DevEui, code, HomeA);
        var rotated = (await _claims.UnclaimAsync(Alice, [device.DevEui], rotateCode: true, Ct))[0];
        var afterRotation = await _store.GetDeviceAsync(device.DevEui, Ct);
        afterRotation!.ClaimCodeIssuer.Should().Be("alice");
        afterRotation.MakerIssuedClaimCode.Should().BeFalse();

        // Bob claims with Alice's code and releases it without a new one: the code is still Alice's, not the maker's.
        await ClaimAsync(Bob, device.DevEui, rotated.NewClaimCode!.Value.ExportSecret(), HomeB);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.ClaimCodeIssuer.Should().Be("alice");
        await _claims.UnclaimAsync(Bob, [device.DevEui], rotateCode: false, Ct);
        (await _store.GetDeviceAsync(device.DevEui, Ct))!.ClaimCodeIssuer.Should().Be("alice");
    }

    [Fact]
    public async Task A_maker_rotating_the_code_of_its_pre_activated_device_issues_its_own_code()
    {
        await NetworksAsync();
        var (device, _) = await ProvisionAsync(r => r with { HomeNetId = HomeA.ToString() });

        var rotated = (await _claims.UnclaimAsync(Maker, [device.DevEui], rotateCode: true, Ct))[0];

        rotated.NewClaimCode.Should().NotBeNull();
        var stored = await _store.GetDeviceAsync(device.DevEui, Ct);
        stored!.ClaimCodeIssuer.Should().BeNull("the maker is stored as null, as at provisioning");
        stored.MakerIssuedClaimCode.Should().BeTrue();
    }

    [Fact]
    public async Task A_pre_activated_device_is_owned_by_its_maker_who_can_unclaim_it()
    {
        await NetworksAsync();
        var (device, code) = await ProvisionAsync(r => r with { HomeNetId = HomeA.ToString() });

        var status = await _claims.GetStatusAsync(Maker, device.DevEui, Ct);
        var byOther = await ClaimAsync(Alice, device.DevEui, code, HomeB);

        status.Status!.HomeNetId.Should().Be(HomeA);
        byOther.Failure!.Error.Should().Be(CustodianErrors.DeviceClaimed);
        (await _claims.UnclaimAsync(Maker, [device.DevEui], rotateCode: false, Ct))[0].Succeeded.Should().BeTrue();
        (await ClaimAsync(Alice, device.DevEui, code, HomeB)).Result.Should().Be(ClaimResult.Claimed);
        var stored = await _store.GetDeviceAsync(device.DevEui, Ct);
        stored!.OwnershipEpoch.Should().Be(3, "pre-activation 1, unclaim 2, Alice's claim 3");
    }

    [Fact]
    public async Task A_batch_decides_each_item_and_a_repeated_DevEUI_only_once()
    {
        await NetworksAsync();
        var (first, firstCode) = await ProvisionAsync();
        var (second, _) = await ProvisionAsync();
        var (third, thirdCode) = await ProvisionAsync();

        var outcomes = await _claims.ClaimAsync(
            Alice,
            [
                Target(first.DevEui, firstCode, HomeA),
                Target(second.DevEui, "WRONGCODE1", HomeA),
                Target(first.DevEui, firstCode, HomeA),
                Target(third.DevEui, thirdCode, NetId.Parse("0000FF")),
                Target(third.DevEui, thirdCode, HomeB),
            ],
            Ct);

        outcomes.Select(o => o.Result).Should().Equal(ClaimResult.Claimed, ClaimResult.Failed, ClaimResult.Failed, ClaimResult.Failed, ClaimResult.Failed);
        outcomes[1].Failure!.Error.Should().Be(CustodianErrors.ClaimRefused);
        outcomes[2].Failure!.Error.Should().Be(CustodianErrors.InvalidField, "a DevEUI named again is not decided again");
        outcomes[3].Failure!.Error.Should().Be(CustodianErrors.NetworkNotFound);
        outcomes[4].Failure!.Detail.Should().Contain("item 3");
        (await _store.GetDeviceAsync(second.DevEui, Ct))!.Owner.Should().BeNull("a failing item leaves no claim");
        (await EventsAsync("alice")).Count(e => e.Type == AuditEventTypes.ClaimSucceeded).Should().Be(1);
    }

    [Fact]
    public async Task Status_and_list_are_the_owners_only_and_pages_follow_the_DevEUI_order()
    {
        await NetworksAsync();
        var devices = new List<DevEui>();
        for (var i = 0; i < 5; i++)
        {
            var (device, code) = await ProvisionAsync();
            await ClaimAsync(Alice, device.DevEui, code, HomeA);
            devices.Add(device.DevEui);
        }
        var high = new DevEui(0xFF00_0000_0000_0001);
        var (highDevice, highCode) = await ProvisionAsync(r => r with { DevEui = high.ToString() });
        await ClaimAsync(Alice, highDevice.DevEui, highCode, HomeA);
        devices.Add(high);

        var first = await _claims.ListAsync(Alice, null, 4, Ct);
        var second = await _claims.ListAsync(Alice, first.Next, 4, Ct);
        var bobs = await _claims.ListAsync(Bob, null, 4, Ct);

        first.Claims.Select(c => c.DevEui).Should().Equal(devices.Take(4));
        first.Next.Should().Be(devices[3]);
        second.Claims.Select(c => c.DevEui).Should().Equal(devices.Skip(4), "DevEUIs above 7FFF... sort as unsigned");
        second.Next.Should().BeNull();
        bobs.Claims.Should().BeEmpty();
        (await _claims.GetStatusAsync(Bob, devices[0], Ct)).Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
        (await _claims.GetStatusAsync(Alice, devices[0], Ct)).Status!.DevEui.Should().Be(devices[0]);
    }

    [Fact]
    public void Describe_names_this_server_for_every_JoinEUI()
    {
        var info = _claims.Describe(JoinEui);

        info.Should().Be(new JoinEuiInfo(JoinEui, true, LocalClaimService.JoinServerName));
    }

    [Fact]
    public void The_lockout_doubles_up_to_the_longest_lock()
    {
        var now = _time.GetUtcNow();

        Lockout.LockedUntil(Lockout.FreeFailures, now).Should().BeNull();
        Lockout.LockedUntil(Lockout.FreeFailures + 1, now).Should().Be(now + TimeSpan.FromMinutes(1));
        Lockout.LockedUntil(Lockout.FreeFailures + 3, now).Should().Be(now + TimeSpan.FromMinutes(4));
        Lockout.LockedUntil(Lockout.FreeFailures + 10, now).Should().Be(now + TimeSpan.FromMinutes(10));
        Lockout.LockedUntil(int.MaxValue, now).Should().Be(now + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public void Targets_and_requests_do_not_print_the_code()
    {
        var request = new ClaimRequest { DevEui = "0001000000000001", ClaimCode = "TOPSECRET1" };
        var target = Target(new DevEui(1), "TOPSECRET1", HomeA);

        request.ToString().Should().NotContain("TOPSECRET1");
        target.ToString().Should().NotContain("TOPSECRET1");
    }

    private static ClaimTarget Target(DevEui devEui, string code, NetId home, JoinEui? joinEui = null) =>
        new(joinEui ?? JoinEui, devEui, ClaimCode.Parse(code), new HomeNetwork(home, null, null));

    private async Task<ClaimOutcome> ClaimAsync(Claimant claimant, DevEui devEui, string code, NetId home) =>
        (await _claims.ClaimAsync(claimant, [Target(devEui, code, home)], Ct))[0];

    private async Task NetworksAsync()
    {
        foreach (var netId in new[] { HomeA, HomeB })
        {
            await _store.CreateNetworkAsync(new Network(netId, null, null, null, RandomNumberGenerator.GetBytes(32), null, _time.GetUtcNow()), Ct);
        }
        await _store.CreateApplicationServerAsync(new ApplicationServer("as-1", null, RandomNumberGenerator.GetBytes(32), null, _time.GetUtcNow()), Ct);
    }

    private async Task<(Device Device, string Code)> ProvisionAsync(Func<DeviceProvisionRequest, DeviceProvisionRequest>? change = null)
    {
        var request = new DeviceProvisionRequest
        {
            JoinEui = JoinEui.ToString(),
            DevEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui)).ToString(),
            MacVersion = "1.0.3",
        };
        request = change?.Invoke(request) ?? request;
        new DeviceProvisioning(Ring, _time).TryPrepare(Maker.TenantId, request, out var prepared, out var failure).Should().BeTrue(failure?.Detail);
        (await _store.CreateDevicesAsync([prepared!.Device], Ct)).Should().Equal(true);
        return (prepared.Device, prepared.ClaimCode.ExportSecret());
    }

    private async Task<IReadOnlyList<AuditEvent>> EventsAsync(string tenantId) =>
        await _store.ListEventsAsync(new EventQuery(tenantId, null, null, 1000), Ct);

    private sealed class RecordingObserver(List<(DevEui, int)> alerts) : IClaimPolicyObserver
    {
        public void WrongCodeBudgetSpent(Claimant claimant, int refused, TimeSpan retryAfter)
        {
        }

        public void ClaimantLocked(Claimant claimant, DevEui devEui, DateTimeOffset until)
        {
        }

        public void DeviceAlert(DevEui devEui, int failures) => alerts.Add((devEui, failures));

        public void RoutedBudgetSpent(string joinServer, Claimant claimant)
        {
        }

        public void UpstreamRateLimited(string joinServer, Claimant claimant)
        {
        }
    }
}

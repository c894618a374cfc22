using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Core.Tests.Claims.Routing;

public sealed class RoutedClaimServiceTests
{
    private static readonly JoinEui RemoteJoinEui = JoinEui.Parse("70B3D57ED0000001");
    private static readonly JoinEui LocalJoinEui = JoinEui.Parse("0000000000000001");
    private static readonly HomeNetwork Home = new(NetId.Parse("000013"), "1122334455667788", "as-1");
    private static readonly Claimant Alice = new("alice", "apikey:a");
    private static readonly Claimant Bob = new("bob", "apikey:b");
    private readonly InMemoryCustodianStore _store = new();
    private readonly FakeLocalClaims _local = new();
    private readonly FakeJoinServer _remote = new("remote");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
    private readonly RoutedClaimService _service;

    public RoutedClaimServiceTests()
    {
        var routes = new ClaimRouteTable([new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000000/40"), "remote")]);
        _service = new RoutedClaimService(_local, routes, new FakeJoinServers(_remote), _store, _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ClaimTarget Target(JoinEui joinEui, ulong devEui, HomeNetwork? home = null, bool locked = true) =>
        new(joinEui, new DevEui(devEui), ClaimCode.Parse("SECRET42"), home ?? Home, locked);

    [Fact]
    public async Task A_routed_JoinEUI_is_forwarded_recorded_and_audited()
    {
        var outcome = (await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct)).Single();

        outcome.Result.Should().Be(ClaimResult.Claimed);
        outcome.Status!.JoinServer.Should().Be("remote");
        outcome.Status.HomeNetId.Should().Be(Home.NetId);
        _remote.Claims.Should().ContainSingle().Which.Home.Should().Be(Home);
        _local.ClaimCalls.Should().BeEmpty();
        var record = await _store.GetRoutedClaimAsync(new DevEui(1), Ct);
        record.Should().Be(new RoutedClaim(new DevEui(1), RemoteJoinEui, "alice", "remote", Home.NetId, Home.NsId, Home.AsId, true, _time.GetUtcNow()));
        var events = await _store.ListEventsAsync(new EventQuery("alice", null, null, 10), Ct);
        events.Should().ContainSingle().Which.Should().Match<AuditEvent>(e =>
            e.Type == AuditEventTypes.ClaimSucceeded && e.Actor == "apikey:a" && e.Detail!.Contains("Join Server 'remote'"));
    }

    [Fact]
    public async Task A_mixed_batch_goes_to_the_local_service_in_one_call_and_keeps_its_order()
    {
        var outcomes = await _service.ClaimAsync(Alice, [Target(LocalJoinEui, 1), Target(RemoteJoinEui, 2), Target(LocalJoinEui, 3), Target(RemoteJoinEui, 4)], Ct);

        outcomes.Select(o => o.DevEui.Value).Should().Equal(1UL, 2UL, 3UL, 4UL);
        outcomes.Select(o => o.Status!.JoinServer).Should().Equal("local", "remote", "local", "remote");
        _local.ClaimCalls.Should().ContainSingle().Which.Select(t => t.DevEui.Value).Should().Equal(1UL, 3UL);
        _remote.Claims.Select(t => t.DevEui.Value).Should().BeEquivalentTo([2UL, 4UL]);
    }

    [Fact]
    public async Task V2_targets_without_a_JoinEUI_and_JoinEUIs_without_a_route_are_local()
    {
        await _service.ClaimAsync(Alice, [Target(LocalJoinEui, 1), Target(RemoteJoinEui, 2) with { JoinEui = null }], Ct);

        _local.ClaimCalls.Should().ContainSingle().Which.Should().HaveCount(2);
        _remote.Claims.Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_forward_is_a_failed_outcome_audited_with_its_code_and_records_nothing()
    {
        var refused = CustodianErrors.ClaimRefused.With("No device accepts this claim code.");
        _remote.OnClaim = _ => RemoteClaim.Failed(refused);

        var outcome = (await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct)).Single();

        outcome.Failure.Should().Be(refused);
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct)).Should().BeNull();
        (await _store.ListEventsAsync(new EventQuery("alice", null, null, 10), Ct)).Should().ContainSingle()
            .Which.Should().Match<AuditEvent>(e => e.Type == AuditEventTypes.ClaimFailed && e.Code == "claim_refused");
    }

    [Fact]
    public async Task Claiming_again_as_before_is_already_claimed_when_the_remote_changed_nothing()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);
        _time.Advance(TimeSpan.FromHours(1));
        _remote.OnClaim = _ => new RemoteClaim(false, null);

        var again = (await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct)).Single();
        var moved = (await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1, Home with { NetId = NetId.Parse("000014") })], Ct)).Single();

        again.Result.Should().Be(ClaimResult.AlreadyClaimed);
        again.Status!.ClaimedAt.Should().Be(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
        moved.Result.Should().Be(ClaimResult.Claimed, "a new home network is a change even if the remote says 200");
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct))!.HomeNetId.Should().Be(NetId.Parse("000014"));
    }

    [Fact]
    public async Task Another_tenants_locked_routed_claim_is_device_claimed_only_after_the_remote_accepts_the_code()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);
        var bobsHome = new HomeNetwork(NetId.Parse("000099"), null, null);

        var right = (await _service.ClaimAsync(Bob, [Target(RemoteJoinEui, 1, bobsHome)], Ct)).Single();
        _remote.OnClaim = _ => RemoteClaim.Failed(CustodianErrors.ClaimRefused.With("wrong"));
        var wrong = (await _service.ClaimAsync(Bob, [Target(RemoteJoinEui, 1, bobsHome)], Ct)).Single();

        right.Failure!.Error.Should().Be(CustodianErrors.DeviceClaimed);
        wrong.Failure!.Error.Should().Be(CustodianErrors.ClaimRefused);
        _remote.Claims.Skip(1).Should().AllSatisfy(t => t.Home.Should().Be(Home, "the remote is asked with the holder's home, so nothing changes there"));
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct))!.TenantId.Should().Be("alice");
    }

    [Fact]
    public async Task Another_tenants_unlocked_routed_claim_is_taken_over()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1, locked: false)], Ct);

        var outcome = (await _service.ClaimAsync(Bob, [Target(RemoteJoinEui, 1)], Ct)).Single();

        outcome.Result.Should().Be(ClaimResult.Claimed);
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct))!.TenantId.Should().Be("bob");
    }

    [Fact]
    public async Task A_batch_is_forwarded_concurrently_up_to_the_limit()
    {
        _remote.Delay = TimeSpan.FromMilliseconds(20);

        var outcomes = await _service.ClaimAsync(Alice, [.. Enumerable.Range(1, 40).Select(i => Target(RemoteJoinEui, (ulong)i))], Ct);

        outcomes.Should().AllSatisfy(o => o.Result.Should().Be(ClaimResult.Claimed));
        _remote.MostInFlight.Should().BeGreaterThan(1).And.BeLessThanOrEqualTo(RoutedClaimService.MaxConcurrentForwards);
        (await _store.ListRoutedClaimsAsync("alice", null, 100, Ct)).Should().HaveCount(40);
    }

    [Fact]
    public async Task Status_of_a_routed_claim_asks_the_remote_and_others_see_the_local_answer()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);
        _remote.OnStatus = _ => new RemoteClaimStatus(NetId.Parse("000013"), "1122334455667788", false, null);

        var alices = await _service.GetStatusAsync(Alice, new DevEui(1), Ct);
        var bobs = await _service.GetStatusAsync(Bob, new DevEui(1), Ct);

        alices.Status.Should().Be(new ClaimStatus(new DevEui(1), RemoteJoinEui, Home.NetId, "1122334455667788", "as-1", false, _time.GetUtcNow(), "remote"));
        bobs.Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
        bobs.Failure.Detail.Should().StartWith("local:");
    }

    [Fact]
    public async Task Status_when_the_remote_no_longer_holds_it_is_device_not_found_and_unavailable_stays_unavailable()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);

        _remote.OnStatus = _ => RemoteClaimStatus.Failed(CustodianErrors.DeviceNotFound.With("remote: gone"));
        var gone = await _service.GetStatusAsync(Alice, new DevEui(1), Ct);
        _remote.OnStatus = _ => RemoteClaimStatus.Failed(CustodianErrors.JoinServerUnavailable.With("Join Server 'remote' did not answer."));
        var down = await _service.GetStatusAsync(Alice, new DevEui(1), Ct);

        gone.Failure!.Detail.Should().Be("Tenant 'alice' has not claimed a device 0000000000000001.");
        down.Failure!.Error.Should().Be(CustodianErrors.JoinServerUnavailable);
    }

    [Fact]
    public async Task Unclaim_forwards_routed_devices_deletes_their_records_and_sends_the_rest_to_the_local_service()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);
        var newCode = ClaimCode.Generate();
        _remote.OnUnclaim = (_, rotate) => new RemoteUnclaim(rotate ? newCode : null, null);

        var outcomes = await _service.UnclaimAsync(Alice, [new DevEui(5), new DevEui(1)], rotateCode: true, Ct);

        outcomes.Should().AllSatisfy(o => o.Succeeded.Should().BeTrue());
        outcomes[1].NewClaimCode.Should().Be(newCode);
        _local.UnclaimCalls.Should().ContainSingle().Which.Should().Equal(new DevEui(5));
        _remote.Unclaims.Should().Equal(new DevEui(1));
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct)).Should().BeNull();
        (await _store.ListEventsAsync(new EventQuery("alice", new DevEui(1), null, 10), Ct)).Select(e => e.Type)
            .Should().Contain([AuditEventTypes.Unclaimed, AuditEventTypes.ClaimCodeRotated]);
    }

    [Fact]
    public async Task Unclaim_keeps_the_record_when_the_remote_is_down_and_drops_it_when_the_remote_forgot_the_claim()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);

        _remote.OnUnclaim = (_, _) => new RemoteUnclaim(null, CustodianErrors.JoinServerUnavailable.With("down"));
        var down = (await _service.UnclaimAsync(Alice, [new DevEui(1)], false, Ct)).Single();
        var kept = await _store.GetRoutedClaimAsync(new DevEui(1), Ct);
        _remote.OnUnclaim = (_, _) => new RemoteUnclaim(null, CustodianErrors.DeviceNotFound.With("not claimed"));
        var gone = (await _service.UnclaimAsync(Alice, [new DevEui(1)], false, Ct)).Single();

        down.Failure!.Error.Should().Be(CustodianErrors.JoinServerUnavailable);
        kept.Should().NotBeNull();
        gone.Failure!.Error.Should().Be(CustodianErrors.DeviceNotFound);
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Another_tenant_cannot_unclaim_a_routed_claim()
    {
        await _service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct);

        await _service.UnclaimAsync(Bob, [new DevEui(1)], false, Ct);

        _remote.Unclaims.Should().BeEmpty();
        _local.UnclaimCalls.Should().ContainSingle();
        (await _store.GetRoutedClaimAsync(new DevEui(1), Ct)).Should().NotBeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100)]
    public async Task List_merges_local_and_routed_claims_by_DevEUI_across_pages(int limit)
    {
        ulong[] local = [1, 3, 5, 0x8000_0000_0000_0001, 10];
        ulong[] routed = [2, 4, 6, 7, 0xFFFF_FFFF_FFFF_FFFF];
        foreach (var devEui in local)
        {
            _local.Owned.Add(new ClaimStatus(new DevEui(devEui), LocalJoinEui, Home.NetId, null, null, true, DateTimeOffset.UnixEpoch, "local"));
        }
        await _service.ClaimAsync(Alice, [.. routed.Select(d => Target(RemoteJoinEui, d))], Ct);
        await _service.ClaimAsync(Bob, [Target(RemoteJoinEui, 8)], Ct);

        var seen = new List<ClaimStatus>();
        DevEui? after = null;
        for (var pages = 0; pages < 20; pages++)
        {
            var page = await _service.ListAsync(Alice, after, limit, Ct);
            page.Claims.Count.Should().BeLessThanOrEqualTo(limit);
            seen.AddRange(page.Claims);
            if (page.Next is null)
            {
                break;
            }
            after = page.Next;
        }

        seen.Select(s => s.DevEui.Value).Should().Equal(local.Concat(routed).Order());
        seen.Where(s => routed.Contains(s.DevEui.Value)).Should().AllSatisfy(s => s.JoinServer.Should().Be("remote"));
    }

    [Fact]
    public void Describe_names_the_routes_Join_Server()
    {
        _service.Describe(RemoteJoinEui).Should().Be(new JoinEuiInfo(RemoteJoinEui, true, "remote"));
        _service.Describe(LocalJoinEui).Should().Be(new JoinEuiInfo(LocalJoinEui, true, "local"));
    }

    [Fact]
    public async Task A_route_to_a_Join_Server_that_is_not_configured_is_unavailable()
    {
        var service = new RoutedClaimService(_local, new ClaimRouteTable([new ClaimRoute(JoinEuiPrefix.Parse("70B3D5"), "gone")]), new FakeJoinServers(), _store, _time);

        var outcome = (await service.ClaimAsync(Alice, [Target(RemoteJoinEui, 1)], Ct)).Single();

        outcome.Failure!.Error.Should().Be(CustodianErrors.JoinServerUnavailable);
        outcome.Failure.Detail.Should().Contain("'gone'");
    }
}

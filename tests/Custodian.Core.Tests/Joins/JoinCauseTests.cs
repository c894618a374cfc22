using Custodian.Core.Events;
using Custodian.Core.Joins;

namespace Custodian.Core.Tests.Joins;

/// <summary>
/// Architecture review, problem 2: each join refusal carries its own cause (from <see cref="JoinErrors"/>) in the
/// answer, and the device's audit event is coded by it, where before six causes shared JoinReqFailed.
/// </summary>
public sealed class JoinCauseTests
{
    private readonly JoinWorld _world = new();

    [Fact]
    public async Task A_replayed_DevNonce_and_a_smaller_one_are_told_apart()
    {
        var random = _world.Provision(MacVersion.V1_0_3);
        var counting = _world.Provision(MacVersion.V1_0_4);
        await JoinedAsync(random, 5);
        await JoinedAsync(counting, 5);

        await RefusedAsync(random, random.JoinReq(5), JoinErrors.DevNonceReused, ResultCode.JoinReqFailed);
        await RefusedAsync(counting, counting.JoinReq(4), JoinErrors.DevNonceTooSmall, ResultCode.JoinReqFailed);
    }

    [Fact]
    public async Task An_exhausted_JoinNonce_a_MIC_failure_and_a_MACVersion_mismatch_each_have_their_cause()
    {
        var exhausted = _world.Provision(MacVersion.V1_0_4, nextJoinNonce: 0x1000000);
        var wrongKey = _world.Provision(MacVersion.V1_0_4);
        var legacy = _world.Provision(MacVersion.V1_0_3);

        await RefusedAsync(exhausted, exhausted.JoinReq(1), JoinErrors.JoinNonceExhausted, ResultCode.JoinReqFailed);
        await RefusedAsync(wrongKey, wrongKey.JoinReq(1, signWith: Key128.Generate()), JoinErrors.MicFailed, ResultCode.MICFailed);
        await RefusedAsync(legacy, legacy.JoinReq(1, macVersion: MacVersion.V1_1), JoinErrors.MacVersionMismatch, ResultCode.JoinReqFailed);
    }

    [Fact]
    public async Task A_device_that_keeps_changing_is_device_changed()
    {
        var racing = new RacingStore(new InMemoryCustodianStore()) { AlwaysConflict = true };
        var world = new JoinWorld(racing);
        var device = world.Provision(MacVersion.V1_0_4);

        var answer = await world.JoinAsync(device.JoinReq(1), world.Home);

        answer.Cause.Should().Be(JoinErrors.DeviceChanged);
        (await world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).Should().Contain(e => e.Code == "device_changed");
    }

    [Fact]
    public async Task An_accepted_join_has_no_cause()
    {
        var device = _world.Provision(MacVersion.V1_1);

        var answer = await _world.JoinAsync(device.JoinReq(1), _world.Home);

        answer.ResultCode.Should().Be(ResultCode.Success);
        answer.Cause.Should().BeNull();
    }

    private async Task JoinedAsync(TestDevice device, ushort devNonce) =>
        (await _world.JoinAsync(device.JoinReq(devNonce), _world.Home)).ResultCode.Should().Be(ResultCode.Success);

    private async Task RefusedAsync(TestDevice device, JoinReq request, JoinError cause, ResultCode answered)
    {
        var answer = await _world.JoinAsync(request, _world.Home);

        answer.ResultCode.Should().Be(answered, answer.Description);
        answer.Cause.Should().Be(cause);
        var refused = (await _world.EventsAsync(JoinWorld.OwnerTenant, device.DevEui)).First();
        refused.Type.Should().Be(AuditEventTypes.JoinRefused);
        refused.Code.Should().Be(cause.Code);
        refused.Detail.Should().EndWith($"Answered {answered.ToWireName()}.");
    }
}

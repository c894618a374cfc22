using System.Net;
using Custodian.Server.Logging;
using Custodian.Server.Tests.Abuse;

namespace Custodian.Server.Tests;

/// <summary>
/// A join, a claim and a provisioning log their device under one scope property, <c>DevEUI</c> (and <c>JoinEUI</c>
/// when known), so one log query finds a device's joins and claims alike.
/// </summary>
public sealed class DeviceLogScopeTests
{
    private const int JoinAnswered = 4001;
    private const int ClaimDecided = 1100;
    private const int DevicesProvisioned = 1040;

    [Fact]
    public async Task A_join_a_claim_and_a_provisioning_carry_the_same_device_scope_property()
    {
        // An accepted join is logged at Debug.
        await using var world = await AbuseWorld.StartAsync(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" });
        var (joined, answer) = await world.SendAsync(world.HomeToken, AbuseWorld.JoinReq(world.Claimed, 1, AbuseWorld.HomeNetId));
        joined.Should().Be(HttpStatusCode.OK, answer.ToString());
        answer.GetProperty("Result").GetProperty("ResultCode").GetString().Should().Be("Success", answer.ToString());

        var owner = await world.Server.TenantAsync("owner", "devices:claim");
        var (refused, refusal) = await owner.PostAsync("/api/v1/claims", new
        {
            joinEui = world.Unclaimed.JoinEui.ToString(),
            devEui = world.Unclaimed.DevEui.ToString(),
            claimCode = "WRONGCODE1234",
            homeNetId = AbuseWorld.HomeNetId,
        });
        refused.Should().Be(HttpStatusCode.Forbidden, refusal.ToString());

        var records = world.Server.Logs.Records;
        var join = records.Should().ContainSingle(r => r.EventId == JoinAnswered).Subject;
        var claim = records.Should().ContainSingle(r => r.EventId == ClaimDecided).Subject;
        join.Scope.Should().Contain(LogScopes.DevEuiProperty, world.Claimed.DevEui.ToString());
        claim.Scope.Should().Contain(LogScopes.DevEuiProperty, world.Unclaimed.DevEui.ToString());

        var provisioned = records.Where(r => r.EventId == DevicesProvisioned).ToList();
        provisioned.Should().HaveCount(2, "the world provisions two devices, one at a time");
        provisioned.Should().Contain(r => Equals(r.Scope[LogScopes.DevEuiProperty], world.Claimed.DevEui.ToString())
            && Equals(r.Scope[LogScopes.JoinEuiProperty], world.Claimed.JoinEui.ToString()));

        // One spelling only: no scope anywhere names the device under another case of the same name.
        var deviceKeys = records.SelectMany(r => r.Scope.Keys)
            .Where(k => k.Equals("DevEUI", StringComparison.OrdinalIgnoreCase) || k.Equals("JoinEUI", StringComparison.OrdinalIgnoreCase))
            .Distinct();
        deviceKeys.Should().BeEquivalentTo([LogScopes.DevEuiProperty, LogScopes.JoinEuiProperty]);
    }
}

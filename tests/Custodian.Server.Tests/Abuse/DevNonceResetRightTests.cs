using System.Net;

namespace Custodian.Server.Tests.Abuse;

/// <summary>
/// Security review finding 19: a DevNonce reset lets captured JoinRequests be replayed once, yet a claim-only key
/// (one an owner hands to field staff) could do it. It now needs <c>devices:unclaim</c>, and is audited as a
/// <c>security.</c> event.
/// </summary>
public sealed class DevNonceResetRightTests
{
    [Fact]
    public async Task A_claim_only_key_cannot_reset_DevNonces_and_an_unclaim_key_leaves_a_security_event()
    {
        await using var world = await AbuseWorld.StartAsync();
        var device = world.Claimed.DevEui;
        var fieldStaff = world.Server.Client(await world.Server.ApiKeyAsync("maker", "devices:claim", "devices:read"));
        var owner = world.Server.Client(await world.Server.ApiKeyAsync("maker", "devices:unclaim", "devices:read"));

        using var refused = await fieldStaff.PostAsync(new Uri($"/api/v1/devices/{device}/dev-nonces/reset", UriKind.Relative), null, TestContext.Current.CancellationToken);
        var eventsBetween = await world.EventsAsync(device);
        var (status, _) = await owner.PostAsync($"/api/v1/devices/{device}/dev-nonces/reset", new { });

        await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right");
        eventsBetween.Should().NotContain(e => e.GetProperty("type").GetString()!.Contains("dev_nonces_reset"));
        status.Should().Be(HttpStatusCode.OK);
        var reset = (await world.EventsAsync(device))[0];
        reset.GetProperty("type").GetString().Should().Be("security.dev_nonces_reset");
        reset.GetProperty("detail").GetString().Should().Contain("captured JoinRequest");
        world.Server.Logs.Lines.Should().Contain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("DevNonces reset", StringComparison.Ordinal));
    }
}

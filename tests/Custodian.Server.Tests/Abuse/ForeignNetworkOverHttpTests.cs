using System.Net;
using System.Text.Json;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.Abuse;

/// <summary>
/// Security review finding 13, the review's own probe: network 000014's token told a device claimed at 000013
/// (UnknownSender), an unclaimed one (ActivationDisallowed) and an unknown one (UnknownDevEUI) apart. Now all three
/// get one answer, by JoinReq and RejoinReq alike, and only the device's tenant learns why, with the cause.
/// </summary>
public sealed class ForeignNetworkOverHttpTests
{
    [Fact]
    public async Task Network_000014_gets_one_answer_for_claimed_elsewhere_unclaimed_and_unknown_devices()
    {
        await using var world = await AbuseWorld.StartAsync();
        var stranger = await world.Server.TenantAsync("stranger", "events:read", "devices:read");
        var devices = new[] { world.Claimed, world.Unclaimed, AbuseWorld.Unknown() };

        var joins = new List<string>();
        var rejoins = new List<string>();
        foreach (var device in devices)
        {
            joins.Add(Anonymised(await AnswerAsync(world, AbuseWorld.JoinReq(device, 7, AbuseWorld.ForeignNetId, transactionId: 5)), device));
            rejoins.Add(Anonymised(await AnswerAsync(world, AbuseWorld.RejoinReq(device, AbuseWorld.ForeignNetId, transactionId: 6)), device));
        }

        joins.Distinct().Should().ContainSingle("the three JoinAns differ in nothing but the DevEUI they name: {0}", string.Join(" | ", joins));
        rejoins.Distinct().Should().ContainSingle("the three RejoinAns differ in nothing but the DevEUI they name: {0}", string.Join(" | ", rejoins));
        joins[0].Should().Contain("\"ResultCode\":\"UnknownDevEUI\"");
        rejoins[0].Should().Contain("\"ResultCode\":\"UnknownDevEUI\"");
        (await RefusalCodesAsync(world, world.Claimed)).Should().Equal(["not_home_network", "not_home_network"], "the owner (here its maker) learns why, with the cause");
        (await RefusalCodesAsync(world, world.Unclaimed)).Should().Equal(["device_not_claimed", "device_not_claimed"]);
        var (_, strangersView) = await stranger.GetJsonAsync($"/api/v1/events?devEui={world.Claimed.DevEui}");
        strangersView.GetProperty("events").GetArrayLength().Should().Be(0, "an unrelated tenant learns nothing");
        (await world.CounterAsync("custodian_joins_total{result=\"UnknownDevEUI\",cause=\"not_home_network\"}")).Should().Be(2);
        (await world.CounterAsync("custodian_joins_total{result=\"UnknownDevEUI\",cause=\"device_not_claimed\"}")).Should().Be(2);
        (await world.CounterAsync("custodian_joins_total{result=\"UnknownDevEUI\",cause=\"unknown_device\"}")).Should().Be(2);
    }

    private static async Task<JsonElement> AnswerAsync(AbuseWorld world, System.Text.Json.Nodes.JsonObject request)
    {
        var (status, body) = await world.SendAsync(world.ForeignToken, request);
        status.Should().Be(HttpStatusCode.OK);
        return body;
    }

    private static async Task<IEnumerable<string?>> RefusalCodesAsync(AbuseWorld world, DeviceUnderTest device) =>
        (await world.EventsAsync(device.DevEui))
            .Where(e => e.GetProperty("type").GetString() is "join.refused" or "rejoin.refused")
            .Select(e => e.GetProperty("code").GetString());

    private static string Anonymised(JsonElement answer, DeviceUnderTest device) =>
        answer.GetRawText().Replace(device.DevEui.ToString(), "DEVEUI", StringComparison.Ordinal);
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Tests.Joins;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// Claim, unclaim and transfer against real joins: the lora-packet device joins through its owner's network, the
/// application server fetches its AppSKey; after the unclaim the old network and AS are refused, the new owner's served.
/// </summary>
public sealed class ClaimRevocationTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly KeyEncryptionKey OldAsKek = new("as:old", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey NewAsKek = new("as:new", RandomNumberGenerator.GetBytes(16));

    [Theory]
    [InlineData("1.0.3")]
    [InlineData("1.1")]
    public async Task After_an_unclaim_the_old_network_and_AS_are_refused_and_the_next_owners_are_served(string version)
    {
        var suffix = version.Replace(".", "", StringComparison.Ordinal);
        var oldNetwork = await host.AddNetworkAsync(NetId.Parse("0000D" + suffix[^1]), nsId: null);
        var newNetwork = await host.AddNetworkAsync(NetId.Parse("0000E" + suffix[^1]), nsId: null);
        var oldNetId = "0000D" + suffix[^1];
        var newNetId = "0000E" + suffix[^1];
        var oldAs = await host.AddApplicationServerAsync("old-as-" + suffix, OldAsKek);
        var newAs = await host.AddApplicationServerAsync("new-as-" + suffix, NewAsKek);
        var firstOwner = await host.Server.TenantAsync("first-" + suffix, ClaimsWorld.OwnerRights);
        var nextOwner = await host.Server.TenantAsync("next-" + suffix, ClaimsWorld.OwnerRights);
        var device = await host.ProvisionAsync(MacVersion.Parse(version), homeNetId: null);
        var code = (await host.Maker.GetJsonAsync($"/api/v1/devices/{device.DevEui}")).Body.Text("claimCode")!;

        var (claimed, claimBody) = await firstOwner.PostAsync("/api/v1/claims", Claim(device, code, oldNetId, "old-as-" + suffix));
        claimed.Should().Be(HttpStatusCode.Created, claimBody.ToString());
        var join = await AnswerAsync(host.Client, oldNetwork, JoinReq(device, await host.Device.JoinRequestAsync(device, 1), oldNetId));
        join.ResultCode().Should().Be("Success", join.Description());
        var oldSession = join.GetProperty("SessionKeyID").GetString()!;
        (await AppSKeyAsync(oldAs, "old-as-" + suffix, device, oldSession)).ResultCode().Should().Be("Success");

        var (released, releasedBody) = await Delete(firstOwner, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");
        released.Should().Be(HttpStatusCode.OK);
        var newCode = releasedBody.Text("claimCode")!;

        var revokedKey = await AppSKeyAsync(oldAs, "old-as-" + suffix, device, oldSession);
        revokedKey.ResultCode().Should().NotBe("Success", "the old AS gets no AppSKey for a session of the released ownership");
        revokedKey.TryGetProperty("AppSKey", out _).Should().BeFalse();
        var unowned = await AnswerAsync(host.Client, oldNetwork, JoinReq(device, await host.Device.JoinRequestAsync(device, 2), oldNetId));
        unowned.ResultCode().Should().NotBe("Success", "an unclaimed device joins nowhere");
        unowned.TryGetProperty("PHYPayload", out _).Should().BeFalse();

        var (moved, movedBody) = await nextOwner.PostAsync("/api/v1/claims", Claim(device, newCode, newNetId, "new-as-" + suffix));
        moved.Should().Be(HttpStatusCode.Created, movedBody.ToString());

        var oldJoin = await AnswerAsync(host.Client, oldNetwork, JoinReq(device, await host.Device.JoinRequestAsync(device, 3), oldNetId));
        oldJoin.ResultCode().Should().Be("UnknownDevEUI", "the old network is not the device's home any more, and learns nothing of it");
        (await AppSKeyAsync(oldAs, "old-as-" + suffix, device, oldSession)).ResultCode().Should().NotBe("Success");
        var newJoin = await AnswerAsync(host.Client, newNetwork, JoinReq(device, await host.Device.JoinRequestAsync(device, 4), newNetId));
        newJoin.ResultCode().Should().Be("Success", newJoin.Description());
        var accept = await host.Device.JoinAcceptAsync(device, 4, newJoin.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();
        var newKey = await AppSKeyAsync(newAs, "new-as-" + suffix, device, newJoin.GetProperty("SessionKeyID").GetString()!);
        newKey.ResultCode().Should().Be("Success", newKey.Description());
        var appSKey = Convert.FromHexString(newKey.GetProperty("AppSKey").GetProperty("AESKey").GetString()!);
        var unwrapped = new byte[16];
        NewAsKek.TryUnwrap(appSKey, unwrapped, out var error).Should().BeTrue(error);
        Convert.ToHexString(unwrapped).Should().BeEquivalentTo(accept["sessionKeys"]!["appSKey"]!.GetValue<string>());
        (await AppSKeyAsync(oldAs, "old-as-" + suffix, device, newJoin.GetProperty("SessionKeyID").GetString()!)).ResultCode().Should().NotBe("Success", "nor for the new owner's session");
    }

    private static object Claim(DeviceUnderTest device, string code, string homeNetId, string asId) =>
        new { joinEui = device.JoinEui.ToString(), devEui = device.DevEui.ToString(), claimCode = code, homeNetId, asId };

    private async Task<JsonElement> AppSKeyAsync(string token, string asId, DeviceUnderTest device, string sessionKeyId)
    {
        var request = Header("AppSKeyReq", asId, device.JoinEui.ToString());
        request["DevEUI"] = device.DevEui.ToString();
        request["SessionKeyID"] = sessionKeyId;
        return await AnswerAsync(host.Client, token, request);
    }

    private static async Task<(HttpStatusCode, JsonElement)> Delete(HttpClient client, string path)
    {
        var (status, body, response) = await client.SendAsync(HttpMethod.Delete, path);
        response.Dispose();
        return (status, body);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// A network's <c>appSKeyMode</c>: by default the JoinAns carries a SessionKeyID, which ChirpStack reads as end-to-end
/// encryption (chirpstack/src/uplink/data.rs <c>_is_end_to_end_encrypted</c>); <c>network-clear</c> and <c>network</c>
/// give the AppSKey to the network, without a SessionKeyID, so that its server handles payloads itself.
/// </summary>
public sealed class AppSKeyModeTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly KeyEncryptionKey NetworkKek = new("net-kek", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey AsKek = new("as-kek", RandomNumberGenerator.GetBytes(16));

    [Fact]
    public async Task A_network_clear_network_gets_the_AppSKey_in_clear_without_a_SessionKeyID_so_ChirpStack_decrypts_itself()
    {
        var token = await NetworkAsync("C00061", "network-clear");
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, NetId.Parse("C00061"), asId: await ApplicationServerAsync("as-61"));
        var phy = await host.Device.JoinRequestAsync(device, 3);

        var (status, body) = await ChirpStackClient.PostAsync(
            host.Client, "/backend-interfaces", "Bearer " + token, ChirpStackClient.JoinReq(77, "c00061", device.JoinEui, device.DevEui, "1.0.3", phy, false, null));

        ChirpStackClient.Parse(status, body).Should().Be("Success", body);
        var answer = JsonDocument.Parse(body).RootElement;
        answer.TryGetProperty("SessionKeyID", out _).Should().BeFalse();
        ChirpStackClient.EndToEndEncrypted(answer).Should().BeFalse();
        var keys = (await host.Device.JoinAcceptAsync(device, 3, answer.GetProperty("PHYPayload").GetString()!))["sessionKeys"]!;
        answer.GetProperty("AppSKey").GetProperty("KEKLabel").GetString().Should().BeEmpty();
        answer.GetProperty("AppSKey").GetProperty("AESKey").GetString().Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());
        answer.GetProperty("NwkSKey").GetProperty("KEKLabel").GetString().Should().Be(NetworkKek.Label, "the network keys stay wrapped");
    }

    [Fact]
    public async Task A_network_network_gets_the_AppSKey_under_its_own_KEK_without_a_SessionKeyID()
    {
        var token = await NetworkAsync("000062", "network");
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, NetId.Parse("000062"), asId: await ApplicationServerAsync("as-62"));
        var phy = await host.Device.JoinRequestAsync(device, 4);

        var (status, body) = await TtsInteropClient.PostAsync(
            host.Client, "/", new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            TtsInteropClient.JoinReq("1.0", "000062", null, device.JoinEui, device.DevEui, "1.0.3", phy, "03", null));

        TtsInteropClient.Outcome(status, body, "JoinAns").Should().Be("ok", body);
        var answer = JsonDocument.Parse(body).RootElement;
        answer.TryGetProperty("SessionKeyID", out _).Should().BeFalse("TTS makes up its own and never asks for it");
        var keys = (await host.Device.JoinAcceptAsync(device, 4, answer.GetProperty("PHYPayload").GetString()!))["sessionKeys"]!;
        var envelope = answer.GetProperty("AppSKey");
        envelope.GetProperty("KEKLabel").GetString().Should().Be(NetworkKek.Label, "not the application server's KEK");
        var appSKey = new byte[16];
        NetworkKek.TryUnwrap(Convert.FromHexString(envelope.GetProperty("AESKey").GetString()!), appSKey, out var error).Should().BeTrue(error);
        Convert.ToHexString(appSKey).Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_mode_is_shown_in_the_list_defaults_to_join_server_and_is_checked()
    {
        await NetworkAsync("C00063", "network-clear");
        var (plainStatus, plain) = await host.Server.Admin.PostAsync("/api/v1/networks", new { netId = "C00064" });
        var (badStatus, bad) = await host.Server.Admin.PostAsync("/api/v1/networks", new { netId = "C00065", appSKeyMode = "both" });

        plainStatus.Should().Be(HttpStatusCode.Created);
        plain.GetProperty("appSKeyMode").GetString().Should().Be("join-server");
        bad.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        bad.Text("detail").Should().StartWith("appSKeyMode: expected one of join-server, network, network-clear");
        badStatus.Should().Be(HttpStatusCode.BadRequest);
        var (_, list) = await host.Server.Admin.GetJsonAsync("/api/v1/networks");
        var modes = list.GetProperty("networks").EnumerateArray().ToDictionary(n => n.Text("netId")!, n => n.Text("appSKeyMode"));
        modes["C00063"].Should().Be("network-clear");
        modes["C00064"].Should().Be("join-server");
    }

    private async Task<string> NetworkAsync(string netId, string mode)
    {
        var (status, body) = await host.Server.Admin.PostAsync("/api/v1/networks", new
        {
            netId,
            appSKeyMode = mode,
            kek = new { label = NetworkKek.Label, key = Hex(NetworkKek) },
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        body.Text("appSKeyMode").Should().Be(mode);
        return body.Text("token")!;
    }

    private async Task<string> ApplicationServerAsync(string asId)
    {
        await host.AddApplicationServerAsync(asId, AsKek);
        return asId;
    }

    private static string Hex(KeyEncryptionKey kek)
    {
        var bytes = new byte[kek.KeySize];
        kek.ExportSecret(bytes);
        return Convert.ToHexString(bytes);
    }
}

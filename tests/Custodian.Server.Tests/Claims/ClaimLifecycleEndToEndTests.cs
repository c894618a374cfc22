using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Tests.Joins;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// A device's whole life end to end (issue 3/5, item 7), on the real server with SQLite and lora-packet as the device:
/// the maker provisions it, owner 1 claims it by the label's QR text and homes it at network N1 with application
/// server AS1, the device joins through N1 and AS1 fetches the AppSKey; owner 1 unclaims it with a new claim code, the
/// old code no longer claims it, owner 2 claims it with the new code at N2 and AS2; then N1's JoinReqs and AS1's
/// AppSKeyReqs for its old session are refused, and N2 and AS2 are served the new session.
/// </summary>
public sealed class ClaimLifecycleEndToEndTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly JoinEui LabelJoinEui = JoinEui.Parse("70B3D57ED0000E2E");
    private static int _case;

    [Theory]
    [InlineData("1.0.3", true)]
    [InlineData("1.0.4", false)]
    [InlineData("1.1", true)]
    [InlineData("1.1", false)]
    public async Task Provision_claim_by_QR_join_then_transfer_with_a_rotated_code_serves_only_the_new_network_and_AS(string version, bool withKeks)
    {
        var n = Interlocked.Increment(ref _case);
        var macVersion = MacVersion.Parse(version);
        var n1 = new Peer(NetId: new NetId((uint)(0x00E000 + (2 * n))).ToString(), AsId: $"e2e-as1-{n}", withKeks);
        var n2 = new Peer(NetId: new NetId((uint)(0x00E001 + (2 * n))).ToString(), AsId: $"e2e-as2-{n}", withKeks);
        await RegisterAsync(n1);
        await RegisterAsync(n2);
        var owner1 = await host.Server.TenantAsync($"e2e-owner1-{n}", "devices:claim", "devices:read", "devices:unclaim", "events:read");
        var owner2 = await host.Server.TenantAsync($"e2e-owner2-{n}", "devices:claim", "devices:read", "devices:unclaim", "events:read");

        // The maker provisions the device with the root keys it flashed; the answer carries the label's QR text.
        var (device, qr, firstCode) = await ProvisionAsync(macVersion, n);
        qr.Should().StartWith($"LW:D0:{device.JoinEui}:{device.DevEui}:").And.Contain(":O" + firstCode);

        // Owner 1 claims by the QR text alone, at N1 and AS1.
        var (claimed, claim) = await owner1.PostAsync("/api/v1/claims", new { qr, homeNetId = n1.NetId, asId = n1.AsId });
        claimed.Should().Be(HttpStatusCode.Created, claim.ToString());
        claim.Text("devEui").Should().Be(device.DevEui.ToString());
        claim.Text("joinEui").Should().Be(device.JoinEui.ToString());
        claim.Text("homeNetId").Should().Be(n1.NetId);
        claim.Text("asId").Should().Be(n1.AsId);
        claim.GetProperty("locked").GetBoolean().Should().BeTrue();
        claim.Text("joinServer").Should().Be("local");
        claim.TryGetProperty("lastJoinAt", out _).Should().BeFalse("it has not joined yet");
        (await owner1.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.OK);
        (await owner2.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Body.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");

        // The device joins through N1; the keys N1 and AS1 receive are the ones the device derives.
        var first = await JoinAsync(device, n1, devNonce: 1);
        first.Accept["joinNonce"]!.GetValue<string>().Should().Be("000001");
        var firstAppSKey = await AppSKeyAsync(device, n1, first.SessionKeyId);
        firstAppSKey.Should().BeEquivalentTo(first.Accept["sessionKeys"]!["appSKey"]!.GetValue<string>());
        (await owner1.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Body.GetProperty("lastJoinAt").ValueKind.Should().Be(JsonValueKind.String);

        // Owner 1 unclaims and asks for a new claim code, shown once.
        var (rotated, rotation) = await DeleteAsync(owner1, $"/api/v1/claims/{device.DevEui}?newClaimCode=true");
        rotated.Should().Be(HttpStatusCode.OK, rotation.ToString());
        rotation.Text("devEui").Should().Be(device.DevEui.ToString());
        var secondCode = rotation.Text("claimCode")!;
        secondCode.Should().MatchRegex("^[A-Z0-9]{6,32}$").And.NotBe(firstCode);
        (await owner1.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Body.ShouldBeProblem(HttpStatusCode.NotFound, "device_not_found");

        // The old label no longer claims the device; the new code does, for owner 2, at N2 and AS2.
        var (refused, refusal) = await owner2.PostAsync("/api/v1/claims", new { qr, homeNetId = n2.NetId, asId = n2.AsId });
        refusal.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        refused.Should().Be(HttpStatusCode.Forbidden);
        var (reclaimed, reclaim) = await owner2.PostAsync("/api/v1/claims", new
        {
            joinEui = device.JoinEui.ToString(),
            devEui = device.DevEui.ToString(),
            claimCode = secondCode.ToLowerInvariant(), // codes are case-insensitive
            homeNetId = n2.NetId,
            asId = n2.AsId,
        });
        reclaimed.Should().Be(HttpStatusCode.Created, reclaim.ToString());
        reclaim.Text("homeNetId").Should().Be(n2.NetId);
        reclaim.Text("asId").Should().Be(n2.AsId);
        reclaim.TryGetProperty("lastJoinAt", out _).Should().BeFalse("its last join was on the previous owner's network");

        // The old network and the old application server are refused...
        var stale = await AnswerAsync(host.Client, n1.NetworkToken, JoinReq(device, await host.Device.JoinRequestAsync(device, 2), n1.NetId));
        stale.ResultCode().Should().Be("UnknownDevEUI", "a network that is not the device's home learns nothing of it");
        stale.TryGetProperty("PHYPayload", out _).Should().BeFalse();
        var revoked = await AnswerAsync(host.Client, n1.AsToken, AppSKeyReq(device, n1.AsId, first.SessionKeyId));
        revoked.ResultCode().Should().Be("ActivationDisallowed", revoked.Description());
        revoked.TryGetProperty("AppSKey", out _).Should().BeFalse();

        // ...and the new ones are served a new session, which the old AS cannot fetch either.
        var second = await JoinAsync(device, n2, devNonce: 3);
        second.Accept["joinNonce"]!.GetValue<string>().Should().Be("000002");
        second.SessionKeyId.Should().NotBe(first.SessionKeyId);
        var secondAppSKey = await AppSKeyAsync(device, n2, second.SessionKeyId);
        secondAppSKey.Should().BeEquivalentTo(second.Accept["sessionKeys"]!["appSKey"]!.GetValue<string>()).And.NotBe(firstAppSKey);
        (await AnswerAsync(host.Client, n1.AsToken, AppSKeyReq(device, n1.AsId, second.SessionKeyId))).ResultCode().Should().Be("UnknownSender");
        (await AnswerAsync(host.Client, n2.AsToken, AppSKeyReq(device, n2.AsId, first.SessionKeyId))).ResultCode().Should().Be("UnknownSender");

        // Each owner's audit trail tells its part; none holds a claim code.
        var ownerOneEvents = await EventTypesAsync(owner1, device.DevEui);
        ownerOneEvents.Select(e => e.Type).Should().ContainInOrder("device.claim_code_rotated", "claim.unclaimed", "claim.succeeded");
        var ownerTwoEvents = await EventTypesAsync(owner2, device.DevEui);
        ownerTwoEvents.Select(e => e.Type).Should().ContainInOrder("claim.succeeded", "claim.failed");
        ownerTwoEvents.Should().Contain(e => e.Type == "claim.failed" && e.Code == "claim_refused");
        foreach (var e in ownerOneEvents.Concat(ownerTwoEvents))
        {
            (e.Detail ?? "").Should().NotContainEquivalentOf(firstCode).And.NotContainEquivalentOf(secondCode);
        }
        host.Server.Logs.All.Should().NotContainEquivalentOf(firstCode).And.NotContainEquivalentOf(secondCode);
    }

    /// <summary>A network and an application server, with KEKs or not; their Backend Interfaces tokens once registered.</summary>
    private sealed record Peer(string NetId, string AsId, bool WithKeks)
    {
        public KeyEncryptionKey? NetworkKek { get; } = WithKeks ? new KeyEncryptionKey($"ns:{NetId}", RandomNumberGenerator.GetBytes(16)) : null;

        public KeyEncryptionKey? AsKek { get; } = WithKeks ? new KeyEncryptionKey($"as:{AsId}", RandomNumberGenerator.GetBytes(16)) : null;

        public string NetworkToken { get; set; } = "";

        public string AsToken { get; set; } = "";
    }

    private sealed record Join(JsonElement Answer, System.Text.Json.Nodes.JsonObject Accept, string SessionKeyId);

    private async Task RegisterAsync(Peer peer)
    {
        peer.NetworkToken = await host.AddNetworkAsync(NetId.Parse(peer.NetId), kek: peer.NetworkKek);
        peer.AsToken = await host.AddApplicationServerAsync(peer.AsId, peer.AsKek);
    }

    private async Task<(DeviceUnderTest Device, string Qr, string ClaimCode)> ProvisionAsync(MacVersion macVersion, int n)
    {
        var devEui = new DevEui(0x00E2_E000_0000_0000UL + (ulong)n);
        var nwkKey = Key128.Generate().ExportSecretHex();
        var appKey = macVersion.IsLorawan11 ? Key128.Generate().ExportSecretHex() : null;
        var (status, body) = await host.Maker.PostAsync("/api/v1/devices", new
        {
            joinEui = LabelJoinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = macVersion.ToString(),
            appKey = appKey ?? nwkKey,
            nwkKey = appKey is null ? null : nwkKey,
            vendorId = "000A",
            vendorProfileId = "0001",
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return (new DeviceUnderTest(devEui, LabelJoinEui, macVersion, nwkKey, appKey), body.Text("qr")!, body.Text("claimCode")!);
    }

    /// <summary>
    /// A JoinReq through <paramref name="peer"/>'s network: answered Success, its JoinAccept's MIC verified by the device
    /// (lora-packet), and the network's session keys (and the AS's AppSKey, in the JoinAns) equal to what the device derived.
    /// </summary>
    private async Task<Join> JoinAsync(DeviceUnderTest device, Peer peer, ushort devNonce)
    {
        var answer = await AnswerAsync(host.Client, peer.NetworkToken, JoinReq(device, await host.Device.JoinRequestAsync(device, devNonce), peer.NetId));
        answer.ResultCode().Should().Be("Success", answer.Description());
        var accept = await host.Device.JoinAcceptAsync(device, devNonce, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue("lora-packet must accept the JoinAccept's MIC");
        accept["netId"]!.GetValue<string>().Should().BeEquivalentTo(peer.NetId);
        var keys = accept["sessionKeys"]!.AsObject();
        if (device.MacVersion.IsLorawan11)
        {
            accept["optNeg"]!.GetValue<bool>().Should().BeTrue();
            Key(answer, "FNwkSIntKey", peer.NetworkKek).Should().BeEquivalentTo(keys["fNwkSIntKey"]!.GetValue<string>());
            Key(answer, "SNwkSIntKey", peer.NetworkKek).Should().BeEquivalentTo(keys["sNwkSIntKey"]!.GetValue<string>());
            Key(answer, "NwkSEncKey", peer.NetworkKek).Should().BeEquivalentTo(keys["nwkSEncKey"]!.GetValue<string>());
        }
        else
        {
            Key(answer, "NwkSKey", peer.NetworkKek).Should().BeEquivalentTo(keys["nwkSKey"]!.GetValue<string>());
        }
        Key(answer, "AppSKey", peer.AsKek).Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());
        return new Join(answer, accept, answer.GetProperty("SessionKeyID").GetString()!);
    }

    /// <summary>The application server asks for the session's AppSKey; answered Success, the key as hex.</summary>
    private async Task<string> AppSKeyAsync(DeviceUnderTest device, Peer peer, string sessionKeyId)
    {
        var answer = await AnswerAsync(host.Client, peer.AsToken, AppSKeyReq(device, peer.AsId, sessionKeyId));
        answer.ResultCode().Should().Be("Success", answer.Description());
        answer.GetProperty("SessionKeyID").GetString().Should().Be(sessionKeyId);
        return Key(answer, "AppSKey", peer.AsKek);
    }

    private static System.Text.Json.Nodes.JsonObject AppSKeyReq(DeviceUnderTest device, string asId, string sessionKeyId)
    {
        var request = Header("AppSKeyReq", asId, device.JoinEui.ToString());
        request["DevEUI"] = device.DevEui.ToString();
        request["SessionKeyID"] = sessionKeyId;
        return request;
    }

    /// <summary>A KeyEnvelope's key as hex: unwrapped with the peer's KEK, or in clear when the peer has none.</summary>
    private static string Key(JsonElement answer, string field, KeyEncryptionKey? kek)
    {
        var envelope = answer.GetProperty(field);
        var aesKey = envelope.GetProperty("AESKey").GetString()!;
        if (kek is null)
        {
            envelope.GetProperty("KEKLabel").GetString().Should().BeEmpty($"{field} travels in clear to a peer without a KEK");
            return aesKey;
        }
        envelope.GetProperty("KEKLabel").GetString().Should().Be(kek.Label);
        var key = new byte[16];
        kek.TryUnwrap(Convert.FromHexString(aesKey), key, out var error).Should().BeTrue(error);
        return Convert.ToHexString(key);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> DeleteAsync(HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The tenant's audit events for the device, newest first.</summary>
    private static async Task<IReadOnlyList<AuditRecord>> EventTypesAsync(HttpClient owner, DevEui devEui)
    {
        var (status, body) = await owner.GetJsonAsync($"/api/v1/events?devEui={devEui}&limit=100");
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("events").EnumerateArray().Select(e => new AuditRecord(e.Text("type")!, e.Text("code"), e.Text("detail"), e.Text("actor")))];
    }
}

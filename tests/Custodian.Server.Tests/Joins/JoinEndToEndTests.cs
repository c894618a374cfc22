using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Lorawan.Crypto;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// Joins end to end: a network server posting JSON to the real server, and the lora-packet device
/// building the JoinRequests and checking the JoinAccepts and the session keys the server returned.
/// </summary>
public sealed class JoinEndToEndTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly NetId HomeNetId = NetId.Parse("00000A");
    private static readonly NetId OtherNetId = NetId.Parse("00000B");
    private const string HomeNsId = "00000000000000C1";
    private static readonly KeyEncryptionKey HomeKek = new("ns:00000A", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey AsKek = new("as:e2e-as", RandomNumberGenerator.GetBytes(16));
    private static readonly SemaphoreSlim SetUp = new(1, 1);
    private static Peers? _peers;

    [Theory]
    [InlineData("1.0.2")]
    [InlineData("1.0.3")]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public async Task Device_accepts_the_JoinAccept_and_derives_the_keys_the_network_and_AS_received(string version)
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.Parse(version), HomeNetId, asId: "e2e-as");
        var phyPayload = await host.Device.JoinRequestAsync(device, 0x0010);

        var answer = await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));

        answer.ResultCode().Should().Be("Success", answer.Description());
        answer.GetProperty("MessageType").GetString().Should().Be("JoinAns");
        answer.GetProperty("SenderID").GetString().Should().Be(device.JoinEui.ToString());
        answer.GetProperty("ReceiverID").GetString().Should().Be("00000A");
        answer.GetProperty("Lifetime").GetUInt32().Should().Be((uint)TimeSpan.FromDays(7).TotalSeconds);
        answer.GetProperty("SessionKeyID").GetString().Should().HaveLength(32);
        var accept = await host.Device.JoinAcceptAsync(device, 0x0010, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue("lora-packet must accept the JoinAccept's MIC");
        accept["joinNonce"]!.GetValue<string>().Should().Be("000001");
        accept["netId"]!.GetValue<string>().Should().Be("00000a");
        accept["devAddr"]!.GetValue<string>().Should().BeEquivalentTo(DevAddrHex);
        accept["cfList"]!.GetValue<string>().Should().BeEquivalentTo("184F84E85684B85E84886684586E8400");
        var keys = accept["sessionKeys"]!.AsObject();
        if (version == "1.1")
        {
            accept["optNeg"]!.GetValue<bool>().Should().BeTrue();
            answer.TryGetProperty("NwkSKey", out _).Should().BeFalse();
            Unwrap(answer, "FNwkSIntKey", HomeKek).Should().BeEquivalentTo(keys["fNwkSIntKey"]!.GetValue<string>());
            Unwrap(answer, "SNwkSIntKey", HomeKek).Should().BeEquivalentTo(keys["sNwkSIntKey"]!.GetValue<string>());
            Unwrap(answer, "NwkSEncKey", HomeKek).Should().BeEquivalentTo(keys["nwkSEncKey"]!.GetValue<string>());
        }
        else
        {
            answer.TryGetProperty("FNwkSIntKey", out _).Should().BeFalse();
            Unwrap(answer, "NwkSKey", HomeKek).Should().BeEquivalentTo(keys["nwkSKey"]!.GetValue<string>());
        }
        Unwrap(answer, "AppSKey", AsKek).Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());
        var events = await host.EventsAsync(device.DevEui);
        events.Should().ContainSingle().Which.Should().Match<AuditRecord>(e => e.Type == "join.accepted" && e.Code == "Success" && e.Actor == "network:00000A");
    }

    [Theory]
    [InlineData("1.0.3")]
    [InlineData("1.0.4")]
    [InlineData("1.1")]
    public async Task Replayed_DevNonce_is_refused_and_recorded(string version)
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.Parse(version), HomeNetId);
        var phyPayload = await host.Device.JoinRequestAsync(device, 0x0100);
        (await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"))).ResultCode().Should().Be("Success");

        var replay = await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));

        replay.ResultCode().Should().Be("JoinReqFailed");
        replay.Description().Should().Contain("DevNonce 0100");
        replay.TryGetProperty("PHYPayload", out _).Should().BeFalse();
        var refused = (await host.EventsAsync(device.DevEui)).Should().ContainSingle(e => e.Type == "join.refused").Subject;
        refused.Code.Should().Be(version == "1.0.3" ? "dev_nonce_reused" : "dev_nonce_too_small", "the event carries the refusal's own cause");
        refused.Detail.Should().Be(replay.Description() + " Answered JoinReqFailed.");
    }

    [Fact]
    public async Task LoRaWAN_104_refuses_a_lower_DevNonce_and_accepts_a_higher_one()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_4, HomeNetId);
        (await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 50), "00000A"))).ResultCode().Should().Be("Success");

        var lower = await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 49), "00000A"));
        var higher = await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 51), "00000A"));

        lower.ResultCode().Should().Be("JoinReqFailed");
        lower.Description().Should().Be("DevNonce 0031 is not greater than the last accepted DevNonce 0032 (LoRaWAN 1.0.4 counts DevNonces up).");
        higher.ResultCode().Should().Be("Success");
        var accept = await host.Device.JoinAcceptAsync(device, 51, higher.GetProperty("PHYPayload").GetString()!);
        accept["joinNonce"]!.GetValue<string>().Should().Be("000002", "the JoinNonce counts per device");
    }

    [Fact]
    public async Task Another_network_is_answered_as_for_an_unknown_device_and_the_owner_told_why()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId);

        var answer = await AnswerAsync(host.Client, peers.Other, JoinReq(device, await host.Device.JoinRequestAsync(device, 1), "00000B"));

        answer.ResultCode().Should().Be("UnknownDevEUI");
        answer.Description().Should().Be($"DevEUI {device.DevEui} is not known under JoinEUI {device.JoinEui}.");
        (await host.EventsAsync(device.DevEui)).Should().ContainSingle()
            .Which.Should().Match<AuditRecord>(e => e.Code == "not_home_network" && e.Actor == "network:00000B"
                && e.Detail == $"NetID 00000B is not the home network of DevEUI {device.DevEui}. Answered UnknownDevEUI.");
    }

    [Fact]
    public async Task Spoofed_SenderID_and_missing_or_unknown_credentials_are_UnknownSender()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId);
        var phyPayload = await host.Device.JoinRequestAsync(device, 1);

        var spoofed = await AnswerAsync(host.Client, peers.Other, JoinReq(device, phyPayload, "00000A"));
        var anonymous = await AnswerAsync(host.Client, null, JoinReq(device, phyPayload, "00000A"));
        var unknownToken = await AnswerAsync(host.Client, "cbi_not-a-registered-token", JoinReq(device, phyPayload, "00000A"));

        spoofed.ResultCode().Should().Be("UnknownSender");
        spoofed.Description().Should().Be("SenderID '00000A' is not NetID 00000B, which this credential is registered for.");
        anonymous.ResultCode().Should().Be("UnknownSender");
        unknownToken.ResultCode().Should().Be("UnknownSender");
        (await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"))).ResultCode().Should().Be("Success", "no refused attempt used the DevNonce");
    }

    [Fact]
    public async Task Bad_MIC_is_MICFailed()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId);

        var answer = await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 1, signWith: Key128.Generate().ExportSecretHex()), "00000A"));

        answer.ResultCode().Should().Be("MICFailed");
        (await host.EventsAsync(device.DevEui)).Should().ContainSingle().Which.Code.Should().Be("mic_failed");
    }

    [Fact]
    public async Task Unknown_and_unclaimed_devices_are_refused()
    {
        var peers = await PeersAsync();
        var unclaimed = await host.ProvisionAsync(MacVersion.V1_0_3, homeNetId: null);
        var unknown = unclaimed with { DevEui = new DevEui(0xFFFF_0000_0000_0001) };

        var unknownAnswer = await AnswerAsync(host.Client, peers.Home, JoinReq(unknown, await host.Device.JoinRequestAsync(unknown, 1), "00000A"));
        var unclaimedAnswer = await AnswerAsync(host.Client, peers.Home, JoinReq(unclaimed, await host.Device.JoinRequestAsync(unclaimed, 1), "00000A"));

        unknownAnswer.ResultCode().Should().Be("UnknownDevEUI");
        unclaimedAnswer.ResultCode().Should().Be("UnknownDevEUI", "an unclaimed device has no home network, so every network is a foreign one");
        (await host.EventsAsync(unclaimed.DevEui)).Should().ContainSingle().Which.Code.Should().Be("device_not_claimed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public async Task Unreadable_body_is_HTTP_400(string body)
    {
        var peers = await PeersAsync();

        var (status, _) = await PostAsync(host.Client, peers.Home, body);

        status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Oversized_body_is_HTTP_400()
    {
        var peers = await PeersAsync();

        var (status, _) = await PostAsync(host.Client, peers.Home, "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}");

        status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("1.1", "MalformedMessage")]
    [InlineData("1.0", "MalformedRequest")]
    public async Task Malformed_field_is_answered_200_with_the_protocols_code(string protocolVersion, string code)
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId);
        var request = JoinReq(device, await host.Device.JoinRequestAsync(device, 1), "00000A", protocolVersion);
        request["DevEUI"] = "12345";

        var answer = await AnswerAsync(host.Client, peers.Home, request);

        answer.ResultCode().Should().Be(code);
        answer.Description().Should().Contain("DevEUI");
        answer.GetProperty("TransactionID").GetInt32().Should().Be(request["TransactionID"]!.GetValue<int>());
        answer.GetProperty("MessageType").GetString().Should().Be("JoinAns");
    }

    [Fact]
    public async Task Internal_failure_is_a_generic_JoinReqFailed_not_a_500()
    {
        var peers = await PeersAsync();
        // Root keys sealed under a KEK this server does not have: opening them throws inside the join.
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId);
        await host.Server.Store.UpdateDeviceAsync(device.DevEui, d => d with { RootKeys = d.RootKeys with { KekLabel = "retired" } }, TestContext.Current.CancellationToken);

        var answer = await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 1), "00000A"));

        answer.ResultCode().Should().Be("JoinReqFailed");
        answer.Description().Should().Be("The Join Server could not answer this request; send it again later.");
    }

    [Fact]
    public async Task Application_server_fetches_the_AppSKey_and_another_is_refused()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId, asId: "e2e-as");
        var join = await AnswerAsync(host.Client, peers.Home, JoinReq(device, await host.Device.JoinRequestAsync(device, 7), "00000A"));
        var request = Header("AppSKeyReq", "e2e-as", device.JoinEui.ToString());
        request["DevEUI"] = device.DevEui.ToString();
        request["SessionKeyID"] = join.GetProperty("SessionKeyID").GetString();
        var other = request.DeepClone().AsObject();
        other["SenderID"] = "e2e-other-as";

        var answer = await AnswerAsync(host.Client, peers.ApplicationServer, request);
        var refused = await AnswerAsync(host.Client, peers.OtherApplicationServer, other);
        var fromNetwork = await AnswerAsync(host.Client, peers.Home, request);

        answer.ResultCode().Should().Be("Success", answer.Description());
        answer.GetProperty("MessageType").GetString().Should().Be("AppSKeyAns");
        Unwrap(answer, "AppSKey", AsKek).Should().Be(Unwrap(join, "AppSKey", AsKek));
        answer.GetProperty("SessionKeyID").GetString().Should().Be(join.GetProperty("SessionKeyID").GetString());
        refused.ResultCode().Should().Be("UnknownSender");
        refused.TryGetProperty("AppSKey", out _).Should().BeFalse();
        fromNetwork.ResultCode().Should().Be("UnknownSender");
    }

    [Theory]
    [InlineData("1.0", false)]
    [InlineData("1.1", true)]
    public async Task HomeNSReq_answers_the_home_NetID(string protocolVersion, bool withNsId)
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, HomeNetId, homeNsId: HomeNsId);
        var request = Header("HomeNSReq", "00000B", device.JoinEui.ToString(), protocolVersion);
        request["DevEUI"] = device.DevEui.ToString();

        var answer = await AnswerAsync(host.Client, peers.Other, request);

        answer.ResultCode().Should().Be("Success");
        answer.GetProperty("HNetID").GetString().Should().Be("00000A");
        answer.TryGetProperty("HNSID", out var hnsid).Should().Be(withNsId);
        if (withNsId)
        {
            hnsid.GetString().Should().Be("00000000000000C1");
        }
    }

    [Fact]
    public async Task RejoinReq_is_refused_as_not_served()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_1, HomeNetId);
        var request = JoinReq(device, "C001" + Convert.ToHexString(device.JoinEui.ToBigEndianBytes().Reverse().ToArray()) + Convert.ToHexString(device.DevEui.ToBigEndianBytes().Reverse().ToArray()) + "0100" + "00000000", "00000A");
        request["MessageType"] = "RejoinReq";

        var answer = await AnswerAsync(host.Client, peers.Home, request);

        answer.GetProperty("MessageType").GetString().Should().Be("RejoinAns");
        answer.ResultCode().Should().Be("JoinReqFailed");
        answer.Description().Should().Contain("RejoinReq is not served");
    }

    [Fact]
    public async Task Network_with_a_client_certificate_joins_over_mutual_TLS()
    {
        await PeersAsync();
        var certificate = JoinServerHost.SelfSigned("CN=e2e-network-0000C");
        await host.AddNetworkAsync(NetId.Parse("00000C"), certificate: certificate);
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, NetId.Parse("00000C"));
        var phyPayload = await host.Device.JoinRequestAsync(device, 3);
        using var withCertificate = host.MutualTlsClient(certificate);
        using var withOtherCertificate = host.MutualTlsClient(JoinServerHost.SelfSigned("CN=stranger"));
        using var withoutCertificate = host.MutualTlsClient(null);

        var stranger = await AnswerAsync(withOtherCertificate, null, JoinReq(device, phyPayload, "00000C"));
        var anonymous = await AnswerAsync(withoutCertificate, null, JoinReq(device, phyPayload, "00000C"));
        var answer = await AnswerAsync(withCertificate, null, JoinReq(device, phyPayload, "00000C"));

        stranger.ResultCode().Should().Be("UnknownSender");
        anonymous.ResultCode().Should().Be("UnknownSender");
        answer.ResultCode().Should().Be("Success", answer.Description());
        var accept = await host.Device.JoinAcceptAsync(device, 3, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();
        // No KEK registered for this network: the keys travel in clear.
        answer.GetProperty("NwkSKey").GetProperty("KEKLabel").GetString().Should().BeEmpty();
        answer.GetProperty("NwkSKey").GetProperty("AESKey").GetString().Should().BeEquivalentTo(accept["sessionKeys"]!["nwkSKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task Joins_are_counted_by_result()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_4, HomeNetId);
        var before = await host.MetricsAsync();
        var phyPayload = await host.Device.JoinRequestAsync(device, 9);

        await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));
        await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));

        var after = await host.MetricsAsync();
        const string accepted = "custodian_joins_total{result=\"Success\",cause=\"none\"}";
        const string replayed = "custodian_joins_total{result=\"JoinReqFailed\",cause=\"dev_nonce_too_small\"}";
        Counter(after, accepted).Should().BeGreaterThanOrEqualTo(Counter(before, accepted) + 1);
        Counter(after, replayed).Should().BeGreaterThanOrEqualTo(Counter(before, replayed) + 1, "a 1.0.4 device's replayed DevNonce is counted by its own cause");
        Counter(after, "custodian_join_duration_seconds_count").Should().BeGreaterThanOrEqualTo(Counter(before, "custodian_join_duration_seconds_count") + 2);
    }

    [Fact]
    public async Task Refused_join_is_logged_in_the_DevEUI_scope_and_no_log_holds_a_key_or_token()
    {
        var peers = await PeersAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_1, HomeNetId, asId: "e2e-as");
        var phyPayload = await host.Device.JoinRequestAsync(device, 0x0042);

        var answer = await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));
        await AnswerAsync(host.Client, peers.Home, JoinReq(device, phyPayload, "00000A"));

        var accept = await host.Device.JoinAcceptAsync(device, 0x0042, answer.GetProperty("PHYPayload").GetString()!);
        var lines = host.Server.Logs.Lines.Where(l => l.Contains($"DevEUI {device.DevEui}", StringComparison.Ordinal)).ToList();
        lines.Should().Contain(l => l.Contains("[4002]", StringComparison.Ordinal) && l.Contains("JoinReqFailed", StringComparison.Ordinal));
        var secrets = accept["sessionKeys"]!.AsObject().Select(k => k.Value!.GetValue<string>())
            .Append(device.NwkKeyHex).Append(device.AppKeyHex!).Append(peers.Home)
            .Append(answer.GetProperty("AppSKey").GetProperty("AESKey").GetString()!);
        var all = host.Server.Logs.All;
        foreach (var secret in secrets)
        {
            all.Should().NotContainEquivalentOf(secret);
        }
    }

    /// <summary>Unwraps a KeyEnvelope of the answer with the peer's KEK; the key as hex.</summary>
    private static string Unwrap(JsonElement answer, string field, KeyEncryptionKey kek)
    {
        var envelope = answer.GetProperty(field);
        envelope.GetProperty("KEKLabel").GetString().Should().Be(kek.Label);
        var wrapped = Convert.FromHexString(envelope.GetProperty("AESKey").GetString()!);
        var key = new byte[16];
        kek.TryUnwrap(wrapped, key, out var error).Should().BeTrue(error);
        return Convert.ToHexString(key);
    }

    private static double Counter(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The networks and application servers, registered once per server (the tests of this class share it).</summary>
    private async Task<Peers> PeersAsync()
    {
        await SetUp.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _peers ??= new Peers(
                await host.AddNetworkAsync(HomeNetId, kek: HomeKek),
                await host.AddNetworkAsync(HomeNetId, nsId: HomeNsId),
                await host.AddNetworkAsync(OtherNetId),
                await host.AddApplicationServerAsync("e2e-as", AsKek),
                await host.AddApplicationServerAsync("e2e-other-as"));
        }
        finally
        {
            SetUp.Release();
        }
    }

    private sealed record Peers(string Home, string HomeNs, string Other, string ApplicationServer, string OtherApplicationServer);
}

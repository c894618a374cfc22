using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.BackendInterfaces;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// Joins as The Things Stack (<see cref="TtsInteropClient"/>) and ChirpStack (<see cref="ChirpStackClient"/>) send
/// them and read the answers, with the lora-packet device checking each JoinAccept and the keys each network unwraps.
/// </summary>
public sealed class NetworkServerJoinTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private const string TtsNetId = "000013";
    private const string TtsNsId = "70B3D57ED0000001";
    private const string TtsAsId = "tts-as.local";
    private const string CsNetId = "C00053";
    private static readonly KeyEncryptionKey TtsNsKek = new("tts-ns-kek", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey TtsAsKek = new("tts-as-kek", RandomNumberGenerator.GetBytes(16));
    private static readonly KeyEncryptionKey CsKek = new("cs-kek", RandomNumberGenerator.GetBytes(16));
    private static readonly SemaphoreSlim SetUp = new(1, 1);
    private static readonly int Seed = Environment.TickCount;
    private static readonly Random Random = new(Seed);
    private static Tokens? _tokens;

    private sealed record Tokens(string TtsNs, string TtsNs11, string TtsAs, string Cs);

    [Theory]
    [InlineData(null)]
    [InlineData("backend-interfaces")]
    [InlineData("/backend-interfaces")]
    public async Task TTS_NS_joins_on_BI_1_0_whatever_paths_join_is_and_unwraps_the_keys(string? pathsJoin)
    {
        var tokens = await TokensAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, NetId.Parse(TtsNetId), asId: TtsAsId);
        var phy = await host.Device.JoinRequestAsync(device, 0x0101);
        var request = TtsInteropClient.JoinReq("1.0", TtsNetId, null, device.JoinEui, device.DevEui, "1.0.3", phy, "03", "184F84E85684B85E84886684586E8400");

        var (status, body) = await TtsInteropClient.PostAsync(host.Client, TtsInteropClient.PathFor(pathsJoin), Bearer(tokens.TtsNs), request);

        TtsInteropClient.Outcome(status, body, "JoinAns").Should().Be("ok", body);
        var answer = JsonDocument.Parse(body).RootElement;
        answer.GetProperty("TransactionID").GetInt64().Should().Be(0);
        var accept = await host.Device.JoinAcceptAsync(device, 0x0101, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();
        var keys = accept["sessionKeys"]!.AsObject();
        Unwrap(answer, "NwkSKey", TtsNsKek).Should().BeEquivalentTo(keys["nwkSKey"]!.GetValue<string>());
        Unwrap(answer, "AppSKey", TtsAsKek).Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());

        // The AS then asks for the AppSKey with its own credential (its own per-JS file, components: [as]).
        var appSKeyReq = TtsInteropClient.AppSKeyReq("1.0", TtsAsId, device.JoinEui, device.DevEui, answer.GetProperty("SessionKeyID").GetString()!);
        var (asStatus, asBody) = await TtsInteropClient.PostAsync(host.Client, TtsInteropClient.PathFor(pathsJoin), Bearer(tokens.TtsAs), appSKeyReq);
        TtsInteropClient.Outcome(asStatus, asBody, "AppSKeyAns").Should().Be("ok", asBody);
        Unwrap(JsonDocument.Parse(asBody).RootElement, "AppSKey", TtsAsKek).Should().BeEquivalentTo(keys["appSKey"]!.GetValue<string>());

        // One per-JS file shared by NS and AS sends the network's token: refused, as the guide warns.
        var (sharedStatus, sharedBody) = await TtsInteropClient.PostAsync(host.Client, TtsInteropClient.PathFor(pathsJoin), Bearer(tokens.TtsNs), appSKeyReq);
        TtsInteropClient.Outcome(sharedStatus, sharedBody, "AppSKeyAns").Should().Be("unknown_sender");
    }

    [Fact]
    public async Task TTS_NS_joins_a_LoRaWAN_1_1_device_on_BI_1_1_with_its_sender_ns_id()
    {
        var tokens = await TokensAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_1, NetId.Parse(TtsNetId), homeNsId: TtsNsId);
        var phy = await host.Device.JoinRequestAsync(device, 1);
        var request = TtsInteropClient.JoinReq("1.1", TtsNetId, TtsNsId, device.JoinEui, device.DevEui, "1.1", phy, "83", null);

        var (status, body) = await TtsInteropClient.PostAsync(host.Client, "/", Bearer(tokens.TtsNs11), request);

        TtsInteropClient.Outcome(status, body, "JoinAns").Should().Be("ok", body);
        var answer = JsonDocument.Parse(body).RootElement;
        var accept = await host.Device.JoinAcceptAsync(device, 1, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();
        Unwrap(answer, "FNwkSIntKey", TtsNsKek).Should().BeEquivalentTo(accept["sessionKeys"]!["fNwkSIntKey"]!.GetValue<string>());
    }

    [Fact]
    public async Task TTS_reads_a_refusal_as_its_own_error()
    {
        var tokens = await TokensAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_3, NetId.Parse(TtsNetId));
        var phy = await host.Device.JoinRequestAsync(device, 7, signWith: Key128.Generate().ExportSecretHex());

        var (status, body) = await TtsInteropClient.PostAsync(
            host.Client, "/", Bearer(tokens.TtsNs), TtsInteropClient.JoinReq("1.1", TtsNetId, TtsNsId, device.JoinEui, device.DevEui, "1.0.3", phy, "03", null));
        var (_, malformed) = await TtsInteropClient.PostAsync(
            host.Client, "/", Bearer(tokens.TtsNs), TtsInteropClient.JoinReq("1.1", TtsNetId, TtsNsId, device.JoinEui, device.DevEui, "1.0.3", phy[..^2], "03", null));

        TtsInteropClient.Outcome(status, body, "JoinAns").Should().Be("mic");
        TtsInteropClient.Outcome(HttpStatusCode.OK, malformed, "JoinAns").Should().Be("malformed_message");
        JsonDocument.Parse(malformed).RootElement.GetProperty("Result").GetProperty("ResultCode").GetString().Should().Be("MalformedMessage", "BI 1.1's name");
    }

    [Theory]
    [InlineData("1.0.2", "/backend-interfaces")]
    [InlineData("1.0.4", "/")]
    [InlineData("1.1.0", "/backend-interfaces")]
    public async Task ChirpStack_joins_and_parses_every_answer_with_its_serde_types(string csMacVersion, string server)
    {
        var tokens = await TokensAsync();
        var macVersion = MacVersion.Parse(csMacVersion == "1.1.0" ? "1.1" : csMacVersion);
        var device = await host.ProvisionAsync(macVersion, NetId.Parse(CsNetId));
        var phy = await host.Device.JoinRequestAsync(device, 0x0203);
        var transactionId = (uint)Random.NextInt64(uint.MaxValue + 1L);
        var request = ChirpStackClient.JoinReq(transactionId, CsNetId, device.JoinEui, device.DevEui, csMacVersion, phy, macVersion.IsLorawan11, "184f84e85684b85e84886684586e8400");

        var (status, body) = await ChirpStackClient.PostAsync(host.Client, server, "Bearer " + tokens.Cs, request);

        ChirpStackClient.Parse(status, body).Should().Be("Success", body);
        body.Should().NotContain("null");
        var answer = JsonDocument.Parse(body).RootElement;
        answer.GetProperty("TransactionID").GetUInt32().Should().Be(transactionId, $"the TransactionID is echoed (seed {Seed})");
        answer.GetProperty("ReceiverID").GetString().Should().Be("c00053");
        var accept = await host.Device.JoinAcceptAsync(device, 0x0203, answer.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();
        var keys = accept["sessionKeys"]!.AsObject();
        if (macVersion.IsLorawan11)
        {
            Unwrap(answer, "SNwkSIntKey", CsKek).Should().BeEquivalentTo(keys["sNwkSIntKey"]!.GetValue<string>());
        }
        else
        {
            Unwrap(answer, "NwkSKey", CsKek).Should().BeEquivalentTo(keys["nwkSKey"]!.GetValue<string>());
        }
        ChirpStackClient.EndToEndEncrypted(answer).Should().BeTrue("by default the Join Server keeps the AppSKey (SessionKeyID)");
    }

    [Fact]
    public async Task ChirpStack_parses_every_refusal()
    {
        var tokens = await TokensAsync();
        var device = await host.ProvisionAsync(MacVersion.V1_0_2, NetId.Parse(CsNetId));
        var phy = await host.Device.JoinRequestAsync(device, 9);
        var wrongKey = await host.Device.JoinRequestAsync(device, 10, signWith: Key128.Generate().ExportSecretHex());
        var unclaimed = await host.ProvisionAsync(MacVersion.V1_0_2, null);
        var unclaimedPhy = await host.Device.JoinRequestAsync(unclaimed, 1);
        JsonObjectFor Req(DeviceUnderTest d, string p) => new(ChirpStackClient.JoinReq((uint)Random.NextInt64(uint.MaxValue + 1L), CsNetId, d.JoinEui, d.DevEui, "1.0.2", p, false, null));

        var cases = new (string Why, string? Authorization, JsonObjectFor Request, string Expected)[]
        {
            ("a 22-byte PHYPayload", "Bearer " + tokens.Cs, Req(device, phy[..^2]), "MalformedRequest"),
            ("a wrong root key", "Bearer " + tokens.Cs, Req(device, wrongKey), "MICFailed"),
            ("an unclaimed device (told no more than an unknown one)", "Bearer " + tokens.Cs, Req(unclaimed, unclaimedPhy), "UnknownDevEUI"),
            ("authorization_header without 'Bearer '", tokens.Cs, Req(device, phy), "UnknownSender"),
            ("no authorization_header", null, Req(device, phy), "UnknownSender"),
        };
        foreach (var (why, authorization, request, expected) in cases)
        {
            var (status, body) = await ChirpStackClient.PostAsync(host.Client, "/backend-interfaces", authorization, request.Value);
            ChirpStackClient.Parse(status, body).Should().Be(expected, why);
            body.Should().NotContain("null", why);
        }
    }

    [Theory]
    [MemberData(nameof(AllResultCodes))]
    public void Every_ResultCode_goes_out_as_one_the_clients_of_that_version_read(ResultCode code)
    {
        // ChirpStack always speaks BI 1.0; an unreadable ProtocolVersion is answered as 1.0 too.
        ChirpStackClient.ResultCodes.Should().Contain(ResultCodeTables.ForVersion(code, BackendInterfacesVersion.V1_0).ToWireName());
        ChirpStackClient.ResultCodes.Should().Contain(ResultCodeTables.ForVersion(code, null).ToWireName());
        // The Things Stack on BI 1.1 maps every TS002 1.1 name (errors.go); "Other" alone becomes unexpected_result.
        var sent11 = ResultCodeTables.ForVersion(code, BackendInterfacesVersion.V1_1);
        sent11.Should().NotBe(ResultCode.MalformedRequest, "BI 1.1 renamed it MalformedMessage");
        var header = new MessageHeader { ProtocolVersion = "1.0" };
        JsonDocument.Parse(header.WithResult(code, "why").ToUtf8Json()).RootElement.GetProperty("Result").GetProperty("ResultCode").GetString()
            .Should().BeOneOf(ChirpStackClient.ResultCodes);
    }

    public static TheoryData<ResultCode> AllResultCodes() => [.. Enum.GetValues<ResultCode>()];

    private sealed record JsonObjectFor(System.Text.Json.Nodes.JsonObject Value);

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = "Bearer " + token };

    private async Task<Tokens> TokensAsync()
    {
        await SetUp.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _tokens ??= new Tokens(
                await host.AddNetworkAsync(NetId.Parse(TtsNetId), kek: TtsNsKek),
                await host.AddNetworkAsync(NetId.Parse(TtsNetId), TtsNsId, TtsNsKek),
                await host.AddApplicationServerAsync(TtsAsId, TtsAsKek),
                await host.AddNetworkAsync(NetId.Parse(CsNetId), kek: CsKek));
        }
        finally
        {
            SetUp.Release();
        }
    }

    private static string Unwrap(JsonElement answer, string field, KeyEncryptionKey kek)
    {
        var envelope = answer.GetProperty(field);
        envelope.GetProperty("KEKLabel").GetString().Should().Be(kek.Label);
        var key = new byte[16];
        kek.TryUnwrap(Convert.FromHexString(envelope.GetProperty("AESKey").GetString()!), key, out var error).Should().BeTrue(error);
        return Convert.ToHexString(key);
    }
}

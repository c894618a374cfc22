using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck.Xunit;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>What we write, we read back as the same message, and write again byte for byte.</summary>
public sealed partial class RoundTripProperties
{
    private static readonly string[] MacSpellings = ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.1", "1.1.0"];

    [Property]
    public void JoinReq_round_trips(
        ulong devEui, uint devAddr, uint netId, ulong joinEui, byte dlSettings, byte rxDelay,
        byte[] phyPayload, uint transactionId, byte mac, bool v11, bool withCfList, ulong? senderNsId)
    {
        WireMacVersion.TryParse(MacSpellings[mac % MacSpellings.Length], out var macVersion).Should().BeTrue();
        var request = new JoinReq
        {
            ProtocolVersion = v11 ? "1.1" : "1.0",
            TransactionID = transactionId,
            SenderID = new NetId(netId & 0xFFFFFF).ToString(),
            ReceiverID = new JoinEui(joinEui).ToString(),
            SenderNSID = senderNsId is { } nsId ? new NsId(nsId) : null,
            MACVersion = macVersion,
            PHYPayload = phyPayload ?? [],
            DevEUI = new DevEui(devEui),
            DevAddr = new DevAddr(devAddr),
            DLSettings = new DLSettings(dlSettings),
            RxDelay = rxDelay,
            CFList = withCfList ? CFList.Decode([.. BitConverter.GetBytes(devEui), .. BitConverter.GetBytes(joinEui)]).Value : null,
        };
        var json = request.ToJson();

        var parsed = Reparse<JoinReq>(json);

        parsed.ToJson().Should().Be(json);
        parsed.DevEUI.Should().Be(request.DevEUI);
        parsed.DevAddr.Should().Be(request.DevAddr);
        parsed.MACVersion.Should().Be(request.MACVersion);
        parsed.PHYPayload.Should().Equal(request.PHYPayload);
        parsed.CFList.Should().Be(request.CFList);

        // Peers writing lowercase hex with a 0x prefix are read as the same message.
        Reparse<JoinReq>(LowercaseWithPrefix(json)).ToJson().Should().Be(json);
    }

    [Property]
    public void JoinAns_round_trips(
        ulong joinEui, uint netId, uint transactionId, bool v11Mac, bool v11Protocol, ulong? receiverNsId,
        byte[] phyPayload, byte[] fNwkSIntKey, byte[] appSKey, string? label, uint? lifetime, byte[]? sessionKeyId,
        bool failed, byte resultCode)
    {
        var header = new JoinReq
        {
            ProtocolVersion = v11Protocol ? "1.1" : "1.0",
            TransactionID = transactionId,
            SenderID = new NetId(netId & 0xFFFFFF).ToString(),
            ReceiverID = new JoinEui(joinEui).ToString(),
            SenderNSID = receiverNsId is { } nsId ? new NsId(nsId) : null,
        }.AnswerHeader();
        var kekLabel = new string((label ?? "").Where(c => !char.IsSurrogate(c)).ToArray());
        var fNwk = new KeyEnvelope(kekLabel, fNwkSIntKey ?? []);
        var keys = new SessionKeyEnvelopes(fNwk, fNwk, fNwk, new KeyEnvelope("", appSKey ?? []));
        var codes = Enum.GetValues<ResultCode>();
        BackendInterfacesMessage answer = failed
            ? header.WithResult(codes[resultCode % codes.Length], "because")
            : JoinAns.Success(header, v11Mac ? MacVersion.V1_1 : MacVersion.V1_0_3, phyPayload ?? [], keys,
                lifetime is { } seconds ? TimeSpan.FromSeconds(seconds) : null, sessionKeyId);
        var json = answer.ToJson();

        var parsed = Reparse<JoinAns>(json);

        parsed.ToJson().Should().Be(json);
        if (!failed)
        {
            parsed.Lifetime.Should().Be(lifetime);
            parsed.SessionKeys()!.FNwkSIntKey.KekLabel.Should().Be(kekLabel);
            parsed.SessionKeys()!.FNwkSIntKey.Should().Be(fNwk);
            parsed.NwkSKey.Should().Match<KeyEnvelope?>(k => (k == null) == v11Mac);
        }
    }

    private static T Reparse<T>(string json)
        where T : BackendInterfacesMessage
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));
        result.Error.Should().BeNull(json);
        return result.Message.Should().BeOfType<T>().Subject;
    }

    private static string LowercaseWithPrefix(string json) =>
        HexField().Replace(json, m => $"\"{m.Groups[1].Value}\":\"0x{m.Groups[2].Value.ToLower(CultureInfo.InvariantCulture)}\"");

    [GeneratedRegex("\"(DevEUI|DevAddr|PHYPayload|DLSettings|CFList|SenderNSID)\":\"([0-9A-F]*)\"")]
    private static partial Regex HexField();
}

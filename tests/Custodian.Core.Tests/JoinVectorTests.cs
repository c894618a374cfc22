using System.Text;
using System.Text.Json;
using Custodian.Core.Joins;

namespace Custodian.Core.Tests;

/// <summary>
/// The Join Server vectors of backend-interfaces.json: brocaar's end-to-end JoinReq → JoinAns cases,
/// answered by <see cref="JoinAnswering"/> and checked from the device's side with our frame code.
/// </summary>
public sealed class JoinVectorTests
{
    private const string File = "backend-interfaces.json";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static TheoryData<string> JoinIds => Vectors.Ids(File, "bi-js-join");

    public static TheoryData<string> JoinRequestBuildIds => Vectors.Ids(File, "join-request-build");

    [Theory]
    [MemberData(nameof(JoinIds))]
    public void Join_server_answers_as_published(string id)
    {
        var vector = Vectors.Get(File, id);
        var request = ParseJoinReq(vector.Inputs.GetProperty("request"));

        var outcome = JoinAnswering.Answer(request, FindDevice(vector, request), Context(vector, request));

        var json = outcome.Answer.ToJson();
        JsonTree.ShouldContain(json, vector.Expected.GetProperty("answer"));
        var keys = JsonTree.Keys(json);
        Names(vector.Expected, "present").Except(keys).Should().BeEmpty("these keys must be in the answer");
        Names(vector.Expected, "absent").Intersect(keys).Should().BeEmpty("these keys must not be in the answer");
        if (vector.Expected.TryGetProperty("joinAcceptPlaintext", out var plaintext))
        {
            CheckJoinAcceptAsDevice(vector, request, (JoinAns)outcome.Answer, plaintext);
        }
    }

    [Theory]
    [MemberData(nameof(JoinRequestBuildIds))]
    public void Join_request_frame_is_built_as_published(string id)
    {
        var vector = Vectors.Get(File, id);
        var key = new AesCipher(Key128.FromBytes(vector.InputBytes("key")));
        var frame = new JoinRequest(
            JoinEui.Parse(vector.InputHex("joinEui")),
            DevEui.Parse(vector.InputHex("devEui")),
            new DevNonce(vector.Inputs.GetProperty("devNonce").GetUInt16()),
            default).Sign(in key);

        frame.Mic.ToString().Should().BeEquivalentTo(vector.ExpectedHex("mic"));
        Convert.ToHexString(frame.ToArray()).Should().BeEquivalentTo(vector.ExpectedHex("phyPayload"));
    }

    [Fact]
    public void Answer_to_a_wrong_JoinEui_is_the_same_as_to_an_unknown_device()
    {
        var vector = Vectors.Get(File, "G2");
        var request = ParseJoinReq(vector.Inputs.GetProperty("request"));
        var device = FindDevice(vector, request)!;
        var elsewhere = new JoinDevice(device.DevEui, new JoinEui(device.JoinEui.Value + 1), device.MacVersion, device.RootKeys);

        var outcome = JoinAnswering.Answer(request, elsewhere, Context(vector, request));

        outcome.Accepted.Should().BeFalse();
        ((ResultAnswer)outcome.Answer).Result.ResultCode.Should().Be(ResultCode.UnknownDevEUI);
    }

    [Fact]
    public void Undecodable_PHYPayload_is_malformed_and_says_why()
    {
        var vector = Vectors.Get(File, "G2");
        var text = vector.Inputs.GetProperty("request").GetRawText().Replace("cde6acb8\"", "cde6ac\"", StringComparison.Ordinal);
        var request = ParseJoinReq(JsonDocument.Parse(text).RootElement);

        var outcome = JoinAnswering.Answer(request, FindDevice(vector, request), Context(vector, request));

        var result = ((ResultAnswer)outcome.Answer).Result;
        result.ResultCode.Should().Be(ResultCode.MalformedRequest);
        result.Description.Should().Be("PHYPayload: JoinRequest must be 23 bytes, got 22.");
    }

    [Fact]
    public void Accepted_join_returns_the_session_it_opened()
    {
        var vector = Vectors.Get(File, "G3.1");
        var request = ParseJoinReq(vector.Inputs.GetProperty("request"));

        var outcome = JoinAnswering.Answer(request, FindDevice(vector, request), Context(vector, request));

        outcome.Accepted.Should().BeTrue();
        outcome.Request!.Value.DevNonce.Should().Be(new DevNonce(258));
        outcome.SessionKeys!.Value.AppSKey.Key.ExportSecretHex().Should().BeEquivalentTo("01621215d1ca08febf0c602cc2ad90fa");
        var answer = (JoinAns)outcome.Answer;
        answer.Lifetime.Should().Be(3600);
        answer.SessionKeyID.Should().NotBeNullOrEmpty();
    }

    private static JoinReq ParseJoinReq(JsonElement request)
    {
        var parsed = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(request.GetRawText()));
        parsed.IsSuccess.Should().BeTrue(parsed.Error?.Message);
        return parsed.Message.Should().BeOfType<JoinReq>().Subject;
    }

    /// <summary>The vectors' devices have no MAC version of their own: they speak what the network says they do.</summary>
    private static JoinDevice? FindDevice(Vector vector, JoinReq request) =>
        vector.Inputs.GetProperty("devices").EnumerateArray()
            .Where(d => DevEui.Parse(Vectors.Text(d, "devEui")) == request.DevEUI)
            .Select(d => new JoinDevice(
                request.DevEUI,
                JoinEui.Parse(Vectors.Text(d, "joinEui")),
                request.MACVersion.Version,
                new RootKeys(new NwkKey(Key128.Parse(Vectors.Text(d, "nwkKey"))), new AppKey(Key128.Parse(Vectors.Text(d, "appKey"))))))
            .SingleOrDefault();

    /// <summary>brocaar answers with the stored JoinNonce, labels the network's KEK with its NetID and the AS's as configured.</summary>
    private static JoinAnswerContext Context(Vector vector, JoinReq request)
    {
        var devices = vector.Inputs.GetProperty("devices").EnumerateArray().ToList();
        var joinNonce = devices.Count == 0 ? new JoinNonce(0) : new JoinNonce(devices[0].GetProperty("joinNonce").GetUInt32());
        var keks = vector.Inputs.GetProperty("keks");
        return new JoinAnswerContext(
            joinNonce,
            Kek(keks, request.SenderID),
            Kek(keks, Vectors.Text(vector.Inputs, "asKekLabel")),
            Lifetime,
            [0x01, 0x02, 0x03, 0x04]);
    }

    private static KeyEncryptionKey? Kek(JsonElement keks, string label) =>
        label.Length > 0 && keks.TryGetProperty(label, out var key) ? new KeyEncryptionKey(label, Convert.FromHexString(key.GetString()!)) : null;

    /// <summary>Decrypts the JoinAccept with the NwkKey as the device would and checks every field and the MIC.</summary>
    private static void CheckJoinAcceptAsDevice(Vector vector, JoinReq request, JoinAns answer, JsonElement expected)
    {
        var device = FindDevice(vector, request)!;
        var nwkKey = new AesCipher(device.RootKeys.NwkKey.Key);
        var accept = JoinAccept.Decrypt(in nwkKey, answer.PHYPayload).Value;

        accept.JoinNonce.Value.Should().Be(expected.GetProperty("joinNonce").GetUInt32());
        accept.NetId.Should().Be(NetId.Parse(Vectors.Text(expected, "netId")));
        accept.DevAddr.Should().Be(DevAddr.Parse(Vectors.Text(expected, "devAddr")));
        accept.RxDelay.Value.Should().Be(expected.GetProperty("rxDelay").GetByte());
        accept.DLSettings.Value.Should().Be(Convert.FromHexString(Vectors.Text(expected, "dlSettings"))[0]);
        accept.CFList!.Value.ToString().Should().BeEquivalentTo(Vectors.Text(expected, "cfList"));

        var frame = JoinRequest.Decode(request.PHYPayload).Value;
        var micVerifies = accept.DLSettings.OptNeg
            ? accept.VerifyMic11(new AesCipher(KeyDerivation.DeriveJSIntKey(in nwkKey, device.DevEui).Key), JoinReqType.JoinRequest, frame.JoinEui, frame.DevNonce.Value)
            : accept.VerifyLegacyMic(in nwkKey);
        micVerifies.Should().BeTrue("the device must accept the JoinAccept's MIC");
    }

    private static IEnumerable<string> Names(JsonElement expected, string property) =>
        expected.TryGetProperty(property, out var names) ? names.EnumerateArray().Select(n => n.GetString()!) : [];
}

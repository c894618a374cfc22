using System.Text;
using System.Text.Json;
using Custodian.Testing;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>
/// Every vector of backend-interfaces.json of the kinds this project implements, dispatched on kind.
/// bi-js-join and join-request-build need the Join Server's crypto and are tested with it.
/// </summary>
public sealed class VectorTests
{
    private const string File = "backend-interfaces.json";

    public static TheoryData<string> RoundTrips => Vectors.Ids(File, "bi-json-roundtrip");

    public static TheoryData<string> RequestParses => Vectors.Ids(File, "bi-request-parse");

    public static TheoryData<string> AnswerParses => Vectors.Ids(File, "bi-answer-parse");

    public static TheoryData<string> AnswerBuilds => Vectors.Ids(File, "bi-answer-build");

    public static TheoryData<string> ResultCodeMappings => Vectors.Ids(File, "bi-result-code");

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Json_round_trip(string id)
    {
        var vector = Vectors.Get(File, id);
        var input = vector.Inputs.GetProperty("json");
        var output = input.TryGetProperty("MessageType", out _)
            ? Parse(input).ToJson()
            : JsonSerializer.Serialize(JsonSerializer.Deserialize(input, TestMessageContext.Default.TestMessage)!, TestMessageContext.Default.TestMessage);

        JsonTree.ShouldEqual(output, vector.Expected.GetProperty("json"));
        if (vector.Expected.TryGetProperty("sourceText", out var sourceText))
        {
            // The source asserts its exact text: compact (J1, J2.1), or tab-indented (J7).
            var text = sourceText.GetString()!;
            var exact = text.Contains('\n', StringComparison.Ordinal) ? Indented(Parse(input)) + "\n" : output;
            exact.Should().Be(text);
        }
    }

    private static string Indented(BackendInterfacesMessage message)
    {
        var options = new JsonSerializerOptions(Json.BackendInterfacesJsonContext.Default.Options)
        {
            WriteIndented = true,
            IndentCharacter = '\t',
            IndentSize = 1,
        };
        return JsonSerializer.Serialize(message, options.GetTypeInfo(message.GetType()));
    }

    [Theory]
    [MemberData(nameof(RequestParses))]
    public void Request_parse(string id)
    {
        var vector = Vectors.Get(File, id);
        var message = Parse(vector.Inputs.GetProperty("json"));

        if (vector.Expected.TryGetProperty("keySet", out var keySet))
        {
            JsonTree.Keys(message.ToJson()).Should().Equal(keySet.EnumerateArray().Select(k => k.GetString()).Order(StringComparer.Ordinal));
        }
        foreach (var field in vector.Expected.GetProperty("fields").EnumerateObject())
        {
            CheckRequestField(message, field.Name, field.Value);
        }
        if (vector.Expected.TryGetProperty("answerHeader", out var answerHeader))
        {
            JsonTree.ShouldEqual(message.AnswerHeader().ToJson(), answerHeader);
        }
    }

    [Theory]
    [MemberData(nameof(AnswerParses))]
    public void Answer_parse(string id)
    {
        var vector = Vectors.Get(File, id);
        var input = vector.Inputs.GetProperty("json");
        var message = Parse(input);

        JsonTree.Keys(message.ToJson()).Should().Equal(vector.Expected.GetProperty("keySet").EnumerateArray().Select(k => k.GetString()).Order(StringComparer.Ordinal));
        foreach (var field in vector.Expected.GetProperty("fields").EnumerateObject())
        {
            CheckAnswerField(message, field.Name, field.Value);
        }
    }

    [Theory]
    [MemberData(nameof(AnswerBuilds))]
    public void Answer_build(string id)
    {
        var vector = Vectors.Get(File, id);
        var request = Parse(vector.Inputs.GetProperty("request")).Should().BeOfType<JoinReq>().Subject;
        var result = vector.Inputs.GetProperty("internal");
        var keys = result.GetProperty("keys");

        var answer = JoinAns.Success(
            request.AnswerHeader(),
            request.MACVersion.Version,
            Convert.FromHexString(result.GetProperty("phyPayload").GetString()!),
            new SessionKeyEnvelopes(
                Envelope(keys, "fNwkSIntKey")!,
                Envelope(keys, "sNwkSIntKey"),
                Envelope(keys, "nwkSEncKey"),
                Envelope(keys, "appSKey")),
            TimeSpan.FromSeconds(result.GetProperty("lifetimeSeconds").GetInt32()),
            Convert.FromHexString(result.GetProperty("sessionKeyId").GetString()!));

        var json = answer.ToJson();
        JsonTree.ShouldEqual(json, vector.Expected.GetProperty("json"));
        JsonTree.Keys(json).Should().NotContain(vector.Expected.GetProperty("absent").EnumerateArray().Select(k => k.GetString()));
    }

    [Theory]
    [MemberData(nameof(ResultCodeMappings))]
    public void Result_code(string id)
    {
        var vector = Vectors.Get(File, id);
        BackendInterfacesVersions.TryParse(vector.Inputs.GetProperty("protocolVersion").GetString(), out var version).Should().BeTrue();
        var condition = vector.Inputs.GetProperty("condition").GetString() switch
        {
            "payload-decode-error" => FailureCondition.PayloadDecodeError,
            "mic-mismatch" => FailureCondition.MicMismatch,
            "devnonce-reused" => FailureCondition.DevNonceReused,
            "cflist-wrong-length" => FailureCondition.CFListWrongLength,
            "dlsettings-wrong-length" => FailureCondition.DLSettingsWrongLength,
            var other => throw new InvalidOperationException($"Condition '{other}' is not mapped in this test."),
        };
        var expected = vector.Expected.GetProperty("resultCode").GetString();

        ResultCodes.For(condition, version).ToWireName().Should().Be(expected);
        if (vector.HasInput("request"))
        {
            // The request itself must be refused by the parser with the same code.
            var parsed = BackendInterfacesMessage.Parse(Utf8(vector.Inputs.GetProperty("request")));
            parsed.IsSuccess.Should().BeFalse();
            parsed.Error!.Kind.Should().Be(ParseErrorKind.MalformedField);
            parsed.Error.ResultCode?.ToWireName().Should().Be(expected);
        }
    }

    private static void CheckRequestField(BackendInterfacesMessage message, string name, JsonElement expected)
    {
        var join = message as JoinRequestMessage;
        switch (name)
        {
            case "protocolVersion": message.ProtocolVersion.Should().Be(expected.GetString()); break;
            case "messageType": message.MessageType.Should().Be(expected.GetString()); break;
            case "transactionId": message.TransactionID.Should().Be(expected.GetUInt32()); break;
            case "senderId": message.SenderID.Should().BeEquivalentTo(expected.GetString()); break;
            case "receiverId": message.ReceiverID.Should().BeEquivalentTo(expected.GetString()); break;
            case "senderNsId": message.SenderNSID.Should().Be(NsId.Parse(expected.GetString())); break;
            case "macVersion":
                join!.MACVersion.Text.Should().Be(expected.GetString());
                join.MACVersion.Version.Should().Be(MacVersion.Parse(expected.GetString()!));
                break;
            case "phyPayload": JsonTree.Hex(join!.PHYPayload).Should().Be(expected.GetString()); break;
            case "devEui": DevEuiOf(message).Should().Be(DevEui.Parse(expected.GetString()!)); break;
            case "devAddr": join!.DevAddr.Should().Be(DevAddr.Parse(expected.GetString()!)); break;
            case "rxDelay": join!.RxDelay.Should().Be(expected.GetByte()); break;
            case "sessionKeyId": JsonTree.Hex(((AppSKeyReq)message).SessionKeyID).Should().Be(expected.GetString()); break;
            case "dlSettings":
                var dl = join!.DLSettings;
                dl.Value.Should().Be(Convert.FromHexString(expected.GetProperty("raw").GetString()!)[0]);
                dl.OptNeg.Should().Be(expected.GetProperty("optNeg").GetBoolean());
                dl.Rx1DrOffset.Should().Be(expected.GetProperty("rx1DrOffset").GetInt32());
                dl.Rx2DataRate.Should().Be(expected.GetProperty("rx2DataRate").GetInt32());
                break;
            case "cfListType": ((byte)join!.CFList!.Value.Type).Should().Be(expected.GetByte()); break;
            case "cfListFrequencies":
                Frequencies(join!.CFList!.Value).Should().Equal(expected.EnumerateArray().Select(f => f.GetUInt32()));
                break;
            case "phy":
                join!.PHYPayload[0].Should().Be(Convert.FromHexString(expected.GetProperty("mhdr").GetString()!)[0]);
                var frame = JoinRequest.Decode(join.PHYPayload).Value;
                frame.JoinEui.Should().Be(JoinEui.Parse(expected.GetProperty("joinEui").GetString()!));
                frame.DevEui.Should().Be(DevEui.Parse(expected.GetProperty("devEui").GetString()!));
                frame.DevNonce.Value.Should().Be(expected.GetProperty("devNonce").GetUInt16());
                frame.Mic.ToString().Should().BeEquivalentTo(expected.GetProperty("mic").GetString());
                break;
            default: throw new InvalidOperationException($"Field '{name}' is not checked by this test.");
        }
    }

    private static void CheckAnswerField(BackendInterfacesMessage message, string name, JsonElement expected)
    {
        var join = message as JoinAnswerMessage;
        var appSKey = message as AppSKeyAns;
        switch (name)
        {
            case "resultCode": (join?.Result ?? appSKey!.Result).ResultCode.ToWireName().Should().Be(expected.GetString()); break;
            case "phyPayload": JsonTree.Hex(join!.PHYPayload).Should().Be(expected.GetString()); break;
            case "lifetime": (join?.Lifetime ?? appSKey!.Lifetime).Should().Be(expected.GetUInt32()); break;
            case "sessionKeyId": JsonTree.Hex(join?.SessionKeyID ?? appSKey!.SessionKeyID).Should().Be(expected.GetString()); break;
            case "keys":
                foreach (var key in expected.EnumerateObject())
                {
                    CheckKey(message, key.Name, key.Value);
                }
                break;
            default: throw new InvalidOperationException($"Field '{name}' is not checked by this test.");
        }
    }

    /// <summary>The internal key must come from the BI field the vector names, with its label and bytes.</summary>
    private static void CheckKey(BackendInterfacesMessage message, string internalName, JsonElement expected)
    {
        var join = message as JoinAnswerMessage;
        var keys = join?.SessionKeys();
        var (internalKey, fromField) = internalName switch
        {
            "fNwkSIntKey" => (keys!.FNwkSIntKey, join!.NwkSKey ?? join.FNwkSIntKey),
            "sNwkSIntKey" => (keys!.SNwkSIntKey, join!.SNwkSIntKey),
            "nwkSEncKey" => (keys!.NwkSEncKey, join!.NwkSEncKey),
            "appSKey" => (keys?.AppSKey ?? ((AppSKeyAns)message).AppSKey, join?.AppSKey ?? ((AppSKeyAns)message).AppSKey),
            _ => throw new InvalidOperationException($"Key '{internalName}' is not checked by this test."),
        };
        var from = expected.GetProperty("from").GetString();
        var carrier = from switch
        {
            "NwkSKey" => join!.NwkSKey,
            "FNwkSIntKey" => join!.FNwkSIntKey,
            "SNwkSIntKey" => join!.SNwkSIntKey,
            "NwkSEncKey" => join!.NwkSEncKey,
            "AppSKey" => join?.AppSKey ?? ((AppSKeyAns)message).AppSKey,
            _ => throw new InvalidOperationException($"BI field '{from}' is not checked by this test."),
        };
        internalKey.Should().NotBeNull().And.BeSameAs(carrier).And.BeSameAs(fromField);
        internalKey!.KekLabel.Should().Be(expected.GetProperty("kekLabel").GetString());
        JsonTree.Hex(internalKey.AesKey.ToArray()).Should().Be(expected.GetProperty("aesKey").GetString());
    }

    private static KeyEnvelope? Envelope(JsonElement keys, string name) =>
        keys.TryGetProperty(name, out var key)
            ? new KeyEnvelope(key.GetProperty("kekLabel").GetString()!, Convert.FromHexString(key.GetProperty("encryptedKey").GetString()!))
            : null;

    private static DevEui DevEuiOf(BackendInterfacesMessage message) => message switch
    {
        JoinRequestMessage m => m.DevEUI,
        AppSKeyReq m => m.DevEUI,
        HomeNSReq m => m.DevEUI,
        _ => throw new InvalidOperationException($"{message.MessageType} has no DevEUI."),
    };

    private static BackendInterfacesMessage Parse(JsonElement json)
    {
        var result = BackendInterfacesMessage.Parse(Utf8(json));
        result.Error.Should().BeNull();
        return result.Message!;
    }

    private static byte[] Utf8(JsonElement json) => Encoding.UTF8.GetBytes(json.GetRawText());

    /// <summary>A type-0 CFList's frequencies (100 Hz units) as The Things Stack reads them: trailing zero entries dropped.</summary>
    private static List<uint> Frequencies(CFList cfList)
    {
        var frequencies = Enumerable.Range(0, CFList.FrequencyCount).Select(cfList.GetFrequency100Hz).ToList();
        while (frequencies.Count > 0 && frequencies[^1] == 0)
        {
            frequencies.RemoveAt(frequencies.Count - 1);
        }
        return frequencies;
    }
}

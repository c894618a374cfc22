using System.Text;

using Custodian.Testing;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>What the parser accepts (every spelling peers use) and how precisely it refuses the rest.</summary>
public sealed class ParseTests
{
    // A BI 1.0 JoinReq as brocaar and ChirpStack write it: lowercase hex.
    private const string JoinReq10 = """
        {"ProtocolVersion":"1.0","TransactionID":7,"MessageType":"JoinReq","SenderID":"000013","ReceiverID":"0102030405060708",
         "MACVersion":"1.0.2","PHYPayload":"0008070605040302010807060504030201020100000000","DevEUI":"0102030405060708",
         "DevAddr":"01020304","DLSettings":"ef","RxDelay":5,"CFList":"42ffffffffffffffffffffff00000000"}
        """;

    [Fact]
    public void Lowercase_hex_is_read_and_written_back_uppercase()
    {
        var request = ParseOk<JoinReq>(JoinReq10);

        request.DevEUI.Should().Be(DevEui.Parse("0102030405060708"));
        request.DLSettings.Value.Should().Be(0xEF);
        request.ToJson().Should().Contain("\"DLSettings\":\"EF\"").And.Contain("\"CFList\":\"42FFFFFFFFFFFFFFFFFFFFFF00000000\"");
    }

    [Fact]
    public void Hex_with_0x_prefix_is_read_in_every_hex_field()
    {
        var request = ParseOk<JoinReq>(With(JoinReq10,
            ("\"DevEUI\":\"01", "\"DevEUI\":\"0x01"),
            ("\"01020304\"", "\"0X01020304\""),
            ("\"ef\"", "\"0xef\""),
            ("\"0008070605", "\"0x0008070605"),
            ("\"42ff", "\"0x42ff")));

        request.DevEUI.Should().Be(DevEui.Parse("0102030405060708"));
        request.DevAddr.Should().Be(DevAddr.Parse("01020304"));
        request.DLSettings.Value.Should().Be(0xEF);
        request.PHYPayload.Should().HaveCount(23).And.StartWith([0x00, 0x08]);
        request.CFList!.Value.Type.Should().Be(CFListType.Frequencies);
    }

    [Theory]
    [InlineData("1.0", 0)]
    [InlineData("1.0.0", 0)]
    [InlineData("1.0.1", 1)]
    [InlineData("1.0.2", 2)]
    [InlineData("1.0.3", 3)]
    [InlineData("1.0.4", 4)]
    [InlineData("1.1", -1)]
    [InlineData("1.1.0", -1)]
    [InlineData("MAC_V1_0_3", 3)]
    public void Every_MACVersion_spelling_is_read_and_kept_as_written(string spelling, int patch)
    {
        var request = ParseOk<JoinReq>(With(JoinReq10, ("\"1.0.2\"", $"\"{spelling}\"")));

        request.MACVersion.Version.Should().Be(patch < 0 ? MacVersion.V1_1 : MacVersion.All[patch]);
        request.MACVersion.Text.Should().Be(spelling);
        request.ToJson().Should().Contain($"\"MACVersion\":\"{spelling}\"");
    }

    [Theory]
    [InlineData("\"DLSettings\":\"ef\"", "\"DLSettings\":\"efff\"", "DLSettings must be 1 byte, got 2.")]
    [InlineData("\"DLSettings\":\"ef\"", "\"DLSettings\":\"\"", "DLSettings must be 1 byte, got 0.")]
    [InlineData("\"CFList\":\"42ffffffffffffffffffffff00000000\"", "\"CFList\":\"4242\"", "CFList must be 16 bytes, got 2.")]
    [InlineData("\"DevAddr\":\"01020304\"", "\"DevAddr\":\"010203\"", "DevAddr must be 8 hex digits, got 6.")]
    [InlineData("\"DevAddr\":\"01020304\"", "\"DevAddr\":\"0102030G\"", "DevAddr must contain only hex digits.")]
    [InlineData("\"DevAddr\":\"01020304\"", "\"DevAddr\":16909060", "DevAddr must be a hex string, got a number.")]
    [InlineData("\"PHYPayload\":\"00", "\"PHYPayload\":\"0", "PHYPayload must be an even number of hex digits, got 45.")]
    [InlineData("\"PHYPayload\":\"00", "\"PHYPayload\":\"zz", "PHYPayload must contain only hex digits.")]
    [InlineData("\"MACVersion\":\"1.0.2\"", "\"MACVersion\":\"1.2\"", "MACVersion must be a LoRaWAN MAC version: 1.0, 1.0.0 to 1.0.4, 1.1 or 1.1.0.")]
    [InlineData("\"RxDelay\":5", "\"RxDelay\":\"5\"", "RxDelay must be a number from 0 to 255.")]
    [InlineData("\"RxDelay\":5", "\"RxDelay\":300", "RxDelay must be a number from 0 to 255.")]
    [InlineData("\"DevEUI\":\"0102030405060708\",", "", "DevEUI is missing.")]
    [InlineData("\"DevAddr\":\"01020304\"", "\"DevAddr\":null", "DevAddr is missing.")]
    public void A_malformed_field_is_named_precisely_and_answered_MalformedRequest_in_BI_1_0(string from, string to, string message)
    {
        var error = ParseError(With(JoinReq10, (from, to)));

        error.Kind.Should().Be(ParseErrorKind.MalformedField);
        error.Message.Should().Be(message);
        error.ResultCode.Should().Be(ResultCode.MalformedRequest);
    }

    [Fact]
    public void A_malformed_field_in_BI_1_1_is_answered_MalformedMessage_with_the_answer_header()
    {
        var error = ParseError(With(JoinReq10, ("\"1.0\",", "\"1.1\","), ("\"ef\"", "\"efff\"")));

        error.ResultCode.Should().Be(ResultCode.MalformedMessage);
        var answer = error.Answer()!;
        answer.MessageType.Should().Be("JoinAns");
        answer.SenderID.Should().Be("0102030405060708");
        answer.ReceiverID.Should().Be("000013");
        answer.TransactionID.Should().Be(7);
        answer.ToJson().Should().Contain("\"Result\":{\"ResultCode\":\"MalformedMessage\",\"Description\":\"DLSettings must be 1 byte, got 2.\"}");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"ProtocolVersion\":\"1.0\",")]
    [InlineData("{} trailing")]
    [InlineData("")]
    public void Unreadable_JSON_has_no_answer_but_HTTP_400(string body)
    {
        var error = ParseError(body);

        error.Kind.Should().Be(ParseErrorKind.UnreadableJson);
        error.Message.Should().StartWith("The body is not valid JSON (line 1, byte ");
        error.ResultCode.Should().BeNull();
        error.Answer().Should().BeNull();
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"JoinReq\"")]
    [InlineData("null")]
    public void JSON_that_is_not_an_object_is_unreadable(string body) =>
        ParseError(body).Should().BeEquivalentTo(new { Kind = ParseErrorKind.UnreadableJson, Message = "The body is not a JSON object." });

    [Fact]
    public void Invalid_UTF8_is_unreadable()
    {
        var body = Encoding.UTF8.GetBytes(JoinReq10);
        var at = Array.IndexOf(body, (byte)'3'); // inside the SenderID "000013"
        body[at] = 0xC3;

        var result = BackendInterfacesMessage.Parse(body);

        result.IsSuccess.Should().BeFalse();
        result.Error!.Kind.Should().Be(ParseErrorKind.UnreadableJson);
        result.Error.Message.Should().Be("The body is not valid UTF-8.");
    }

    [Fact]
    public void MessageType_is_matched_exactly()
    {
        var error = ParseError(With(JoinReq10, ("\"JoinReq\"", "\"joinreq\"")));

        error.Kind.Should().Be(ParseErrorKind.UnsupportedMessageType);
        error.Answer()!.MessageType.Should().Be(MessageTypes.ErrorNotif);
    }

    [Fact]
    public void An_unpaired_surrogate_escape_makes_the_body_unreadable()
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(JoinReq10.Replace("\"DevAddr\"", "\"Dev\\ud800Addr\"", StringComparison.Ordinal)));

        result.Error!.Kind.Should().Be(ParseErrorKind.UnreadableJson);
        result.Error.Message.Should().StartWith("The body has an unpaired UTF-16 surrogate escape");
    }

    [Fact]
    public void An_unknown_MessageType_is_refused_by_name_and_answered_Malformed()
    {
        var error = ParseError(With(JoinReq10, ("\"JoinReq\"", "\"PRStartReq\"")));

        error.Kind.Should().Be(ParseErrorKind.UnsupportedMessageType);
        error.Message.Should().Be("MessageType is not one this Join Server serves.");
        error.ResultCode.Should().Be(ResultCode.MalformedRequest);
        error.Answer()!.MessageType.Should().Be("PRStartAns");
    }

    [Fact]
    public void An_unknown_ProtocolVersion_is_answered_InvalidProtocolVersion()
    {
        var error = ParseError(With(JoinReq10, ("\"ProtocolVersion\":\"1.0\"", "\"ProtocolVersion\":\"2.0\"")));

        error.Kind.Should().Be(ParseErrorKind.UnsupportedProtocolVersion);
        error.Message.Should().Be("ProtocolVersion must be 1.0 or 1.1.");
        error.ResultCode.Should().Be(ResultCode.InvalidProtocolVersion);
    }

    [Theory]
    [InlineData("\"MessageType\":\"JoinReq\",", "", "MessageType is missing.")]
    [InlineData("\"TransactionID\":7", "\"TransactionID\":-1", "TransactionID must be a number from 0 to 4294967295.")]
    [InlineData("\"SenderID\":\"000013\"", "\"SenderID\":19", "SenderID must be a string.")]
    public void A_malformed_header_leaves_nothing_to_answer(string from, string to, string message)
    {
        var error = ParseError(With(JoinReq10, (from, to)));

        error.Kind.Should().Be(ParseErrorKind.MalformedField);
        error.Message.Should().Be(message);
        error.Header.Should().BeNull();
        error.ResultCode.Should().BeNull();
    }

    /// <summary>Security review finding 1: a 60,000-character SenderID reached answers, logs and audit events.</summary>
    [Theory]
    [InlineData("SenderID")]
    [InlineData("ReceiverID")]
    public void An_ID_longer_than_255_characters_leaves_nothing_to_answer(string field)
    {
        var value = field == "SenderID" ? "000013" : "0102030405060708";
        var longest = new string('A', BackendInterfacesMessage.MaxIdLength);

        var error = ParseError(With(JoinReq10, ($"\"{field}\":\"{value}\"", $"\"{field}\":\"{longest}A\"")));
        var fits = BackendInterfacesMessage.Parse(System.Text.Encoding.UTF8.GetBytes(With(JoinReq10, ($"\"{field}\":\"{value}\"", $"\"{field}\":\"{longest}\""))));

        error.Kind.Should().Be(ParseErrorKind.MalformedField);
        error.Message.Should().Be($"{field} is longer than 255 characters.");
        error.Header.Should().BeNull("an answer would carry the long ID back");
        error.Answer().Should().BeNull();
        fits.IsSuccess.Should().BeTrue(fits.Error?.Message);
    }

    [Theory]
    [InlineData("{}", "Result.ResultCode is missing.")]
    [InlineData("{\"ResultCode\":\"Fine\"}", "Result.ResultCode is not a ResultCode of TS002.")]
    [InlineData("{\"ResultCode\":\"Success\",\"Description\":5}", "Result.Description must be a string.")]
    [InlineData("[]", "Result must be a JSON object.")]
    public void A_malformed_Result_is_named_by_its_path(string result, string message) =>
        ParseError(Answer(result)).Message.Should().Be(message);

    [Fact]
    public void A_key_envelope_without_AESKey_is_malformed() =>
        ParseError(Answer("{\"ResultCode\":\"Success\"},\"AppSKey\":{\"KEKLabel\":\"as\"}")).Message.Should().Be("AppSKey.AESKey is missing.");

    [Theory]
    [InlineData("UnkownReceiver")]
    [InlineData("UnknownReceiver")]
    [InlineData("unknownreceiver")]
    public void UnknownReceiver_is_read_in_both_spellings_and_written_as_the_specification_spells_it(string spelling)
    {
        var answer = ParseOk<JoinAns>(Answer($"{{\"ResultCode\":\"{spelling}\"}}"));

        answer.Result.ResultCode.Should().Be(ResultCode.UnknownReceiver);
        answer.ToJson().Should().Contain("\"ResultCode\":\"UnkownReceiver\"");
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_property_names_match_in_any_case()
    {
        var request = ParseOk<JoinReq>(With(JoinReq10, ("\"DevEUI\"", "\"Extra\":{\"a\":[1,2]},\"devEui\"")));

        request.DevEUI.Should().Be(DevEui.Parse("0102030405060708"));
        request.ToJson().Should().NotContain("Extra");
    }

    [Fact]
    public void Absent_optional_fields_are_omitted_on_output()
    {
        var request = ParseOk<JoinReq>(With(JoinReq10, (",\"CFList\":\"42ffffffffffffffffffffff00000000\"", "")));

        request.CFList.Should().BeNull();
        JsonTree.Keys(request.ToJson()).Should().NotContain(["CFList", "SenderNSID", "ReceiverNSID", "SenderToken", "ReceiverToken", "VSExtension"]);
    }

    [Fact]
    public void SenderID_and_ReceiverID_offer_typed_views()
    {
        var request = ParseOk<JoinReq>(With(JoinReq10, ("\"ReceiverID\":\"01", "\"ReceiverID\":\"0x01")));

        request.SenderNetId().Should().Be(new NetId(0x13));
        request.SenderJoinEui().Should().BeNull();
        request.ReceiverJoinEui().Should().Be(JoinEui.Parse("0102030405060708"));
        request.ReceiverNetId().Should().BeNull();

        var appSKeyReq = ParseOk<AppSKeyReq>("""
            {"ProtocolVersion":"1.0","MessageType":"AppSKeyReq","SenderID":"test-as","ReceiverID":"70B3D57ED0000000","DevEUI":"0102030405060708","SessionKeyID":"01"}
            """);
        appSKeyReq.SenderNetId().Should().BeNull();
        appSKeyReq.SenderJoinEui().Should().BeNull();
    }

    [Fact]
    public void The_answer_header_swaps_NSIDs_and_tokens()
    {
        var request = ParseOk<HomeNSReq>("""
            {"ProtocolVersion":"1.1","TransactionID":42,"MessageType":"HomeNSReq","SenderID":"420000","ReceiverID":"4242000000000000",
             "SenderNSID":"4242420000000000","SenderToken":"0a0b","ReceiverToken":"01","DevEUI":"0102030405060708"}
            """);

        var header = request.AnswerHeader();

        header.MessageType.Should().Be("HomeNSAns");
        header.ReceiverNSID.Should().Be(NsId.Parse("4242420000000000"));
        header.SenderNSID.Should().BeNull();
        header.ReceiverToken.Should().Equal(0x0A, 0x0B);
        header.SenderToken.Should().Equal(0x01);
    }

    [Fact]
    public void A_1_1_JoinAns_needs_all_three_network_keys()
    {
        var key = new KeyEnvelope("", new byte[16]);
        var build = () => JoinAns.Success(new MessageHeader(), MacVersion.V1_1, [0x20], new SessionKeyEnvelopes(key, null, key, key));

        build.Should().Throw<ArgumentException>().WithMessage("LoRaWAN 1.1 needs an SNwkSIntKey envelope.*");
    }

    [Fact]
    public void Result_codes_follow_the_protocol_version_for_malformed_messages_only()
    {
        foreach (var condition in Enum.GetValues<FailureCondition>())
        {
            var v10 = ResultCodes.For(condition, BackendInterfacesVersion.V1_0);
            var v11 = ResultCodes.For(condition, BackendInterfacesVersion.V1_1);
            if (v10 == ResultCode.MalformedRequest)
            {
                v11.Should().Be(ResultCode.MalformedMessage, condition.ToString());
            }
            else
            {
                v11.Should().Be(v10, condition.ToString());
            }
        }
        ResultCodes.For(FailureCondition.UnknownDevEui, BackendInterfacesVersion.V1_1).Should().Be(ResultCode.UnknownDevEUI);
        ResultCodes.For(FailureCondition.JoinFailed, BackendInterfacesVersion.V1_0).Should().Be(ResultCode.JoinReqFailed);
    }

    private static string Answer(string result) =>
        $"{{\"ProtocolVersion\":\"1.0\",\"MessageType\":\"JoinAns\",\"SenderID\":\"0102030405060708\",\"ReceiverID\":\"000013\",\"Result\":{result}}}";

    private static string With(string json, params (string From, string To)[] replacements)
    {
        foreach (var (from, to) in replacements)
        {
            json.Should().Contain(from, "the test edits the JSON there");
            json = json.Replace(from, to, StringComparison.Ordinal);
        }
        return json;
    }

    private static T ParseOk<T>(string json)
        where T : BackendInterfacesMessage
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));
        result.Error.Should().BeNull();
        return result.Message.Should().BeOfType<T>().Subject;
    }

    private static ParseError ParseError(string json)
    {
        var result = BackendInterfacesMessage.Parse(Encoding.UTF8.GetBytes(json));
        result.IsSuccess.Should().BeFalse();
        return result.Error!;
    }
}

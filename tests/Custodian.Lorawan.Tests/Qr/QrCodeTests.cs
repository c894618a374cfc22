using System.Text;
using Custodian.Lorawan.Qr;

namespace Custodian.Lorawan.Tests.Qr;

public sealed class QrCodeTests
{
    private const string Simple = "LW:D0:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42";

    [Theory]
    [InlineData("LW:D0:1111111111111111:222222222222222:00000000:O123456", "DevEUI '222222222222222' in field 4 is not 16 hex digits (it has 15)")]
    [InlineData("LW:D0:1111111111111111:22222222222222XY:00000000", "DevEUI '22222222222222XY' in field 4 has a non-hex character 'X'")]
    [InlineData("LW:D0::2222222222222222:00000000", "JoinEUI in field 3 is empty")]
    [InlineData("LW:D0:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF", "TR005 needs at least 5 ':'-separated fields (LW:D0:JoinEUI:DevEUI:ProfileID), found 4")]
    [InlineData("LW:D1:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42", "SchemaID 'D1' in field 2 is not 'D0'")]
    [InlineData("LW:D0:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42AABB", "ProfileID '42FFFF42AABB' in field 5 is not 8 hex digits (it has 12)")]
    [InlineData("URN:LW:DP:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42:%P#_", "P (proprietary) extension in field 7 contains character '#'; draft 2 allows only 0-9 A-Z $ * + - . /")]
    [InlineData("URN:LW:XX:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42", "'XX' in field 3 is not 'DP'")]
    [InlineData("URN:DEV:LW:42FFFFFFFF_4242FFFFFFFFFFFF_42FFFF42", "JoinEUI '42FFFFFFFF' in field 4 is not 16 hex digits (it has 10)")]
    [InlineData("URN:DEV:LW:42FFFFFFFFFFFFFF_4242FFFFFFFFFFFF_42FFFF42_Vabc", "V (validation code) extension in field 7 contains character 'a'; draft 3 allows only 0-9 A-Z")]
    [InlineData("URN:DEV:LW:42FFFFFFFFFFFFFF_4242FFFFFFFFFFFF", "TR005 draft 3 needs at least 3 '_'-separated fields after 'URN:DEV:LW:' (JoinEUI_DevEUI_ProfileID), found 2")]
    [InlineData("424FFFFFFFFF", "DevEUI '424FFFFFFFFF' in field 1 is not 16 hex digits (it has 12)")]
    [InlineData("https://example.com/device", "'https://example.com/devi…' starts with none of 'LW:', 'URN:LW:', 'URN:DEV:' and is not a 16-hex-digit DevEUI")]
    [InlineData("", "the text is empty")]
    [InlineData(" \r\n", "the text is empty")]
    [InlineData("LW:D0:42FFFFFFFFFFFFFF:4242FF\u0007FFFFFFFFF:42FFFF42", "character U+0007 at column 30 is a control character")]
    public void Says_what_is_wrong_and_where(string text, string error)
    {
        QrCode.TryParse(text, out var code, out var actual).Should().BeFalse();

        code.Should().BeNull();
        actual.Should().Be(error);
    }

    [Fact]
    public void Parse_throws_a_FormatException_with_the_reason()
    {
        var act = () => QrCode.Parse("LW:D0:42FFFFFFFF:4242FFFFFFFFFFFF:42FFFF42");

        act.Should().Throw<FormatException>()
            .WithMessage("Not a TR005 QR code: JoinEUI '42FFFFFFFF' in field 3 is not 16 hex digits (it has 10).");
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        QrCode.TryParse((string?)null, out _, out var error).Should().BeFalse();
        error.Should().Be("the text is empty");
    }

    [Fact]
    public void Accepts_lowercase_hex_and_surrounding_whitespace()
    {
        var code = QrCode.Parse("  LW:D0:42ffffffffffffff:4242ffffffffffff:42ffff42:Oab12\r\n");

        code.Encode().Should().Be(Simple + ":Oab12");
    }

    [Fact]
    public void Keeps_the_owner_token_case()
    {
        QrCode.Parse(Simple + ":OaBc").OwnerToken.Should().Be("aBc");
    }

    [Fact]
    public void Ignores_unknown_tags_and_takes_the_last_duplicate()
    {
        var code = QrCode.Parse(Simple + ":XFUTURE:O111:O222");

        code.OwnerToken.Should().Be("222");
        code.Encode().Should().Be(Simple + ":O222");
    }

    [Fact]
    public void Rejects_a_value_with_surrounding_whitespace()
    {
        QrCode.TryParse(Simple + ":S12 :O1", out _, out var error).Should().BeFalse();

        error.Should().Be("S (serial number) extension in field 6 starts or ends with whitespace");
    }

    [Fact]
    public void Rejects_text_over_1024_characters()
    {
        var text = Simple + ":P" + new string('A', QrCode.MaxLength);

        QrCode.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be($"the text takes {text.Length} bytes as UTF-8; at most 1024 are allowed");
    }

    [Fact]
    public void The_limit_counts_UTF_8_bytes_as_the_payload_does()
    {
        var text = Simple + ":S" + new string('ü', (QrCode.MaxLength - Simple.Length) / 2);

        text.Length.Should().BeLessThan(QrCode.MaxLength);
        QrCode.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain("bytes as UTF-8");
        QrCode.TryParse(Encoding.UTF8.GetBytes(text), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Accepts_text_of_exactly_1024_characters()
    {
        var text = Simple + ":P" + new string('A', QrCode.MaxLength - Simple.Length - 2);

        QrCode.Parse(text).Proprietary.Should().HaveLength(QrCode.MaxLength - Simple.Length - 2);
    }

    [Fact]
    public void Rejects_bytes_that_are_not_utf8()
    {
        QrCode.TryParse([0x42, 0xFF, 0x42, 0x42], out _, out var error).Should().BeFalse();

        error.Should().Be("the payload is not UTF-8 text (invalid byte 0xFF at offset 1)");
    }

    [Fact]
    public void Draft_2_unescapes_percent_25()
    {
        var code = QrCode.Parse("URN:LW:DP:42FFFFFFFFFFFFFF:4242FFFFFFFFFFFF:42FFFF42:%25VABCD%25S12");

        (code.OwnerToken, code.Serial).Should().Be(("ABCD", "12"));
    }

    [Fact]
    public void A_draft_converts_to_the_final_layout()
    {
        var draft = QrCode.Parse("URN:DEV:LW:42FFFFFFFFFFFFFF_4242FFFFFFFFFFFF_42FFFF42_V0102_SSERIAL");

        draft.ToTr005().Encode().Should().Be(Simple + ":O0102:SSERIAL");
    }

    [Fact]
    public void A_bare_DevEUI_cannot_become_TR005()
    {
        var act = () => QrCode.Parse("4242FFFFFFFFFFFF").ToTr005();

        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Builds_a_new_code_without_checksum()
    {
        var code = QrCode.ForTr005(JoinEui.Parse("70B3D57ED0000000"), DevEui.Parse("0102030405060708"), 0x000A, 0xF8BE, ownerToken: "ABCD");

        code.Encode().Should().Be("LW:D0:70B3D57ED0000000:0102030405060708:000AF8BE:OABCD");
        code.Checksum.Should().BeEmpty();
    }

    [Theory]
    [InlineData("AB:CD")]
    [InlineData(" ABCD")]
    [InlineData("AB\nCD")]
    public void Refuses_to_build_a_code_that_would_not_read_back(string ownerToken)
    {
        var act = () => QrCode.ForTr005(default, default, ownerToken: ownerToken);

        act.Should().Throw<ArgumentException>().WithMessage("Cannot build a TR005 code: O (owner token) *");
    }

    [Fact]
    public void ToString_redacts_the_owner_token()
    {
        var text = QrCode.Parse(Simple + ":OSECRET1:SSN1").ToString();

        text.Should().NotContain("SECRET1").And.Contain("OwnerToken = (redacted)").And.Contain("SN1");
    }

    [Theory]
    [InlineData(QrFormat.Tr005, "tr005")]
    [InlineData(QrFormat.Tr005Draft2, "tr005draft2")]
    [InlineData(QrFormat.Tr005Draft3, "tr005draft3")]
    [InlineData(QrFormat.DevEui, "dev_eui")]
    public void Format_ids_match_The_Things_Stack(QrFormat format, string id)
    {
        format.ToFormatId().Should().Be(id);
    }
}

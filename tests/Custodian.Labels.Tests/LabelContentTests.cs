namespace Custodian.Labels.Tests;

public sealed class LabelContentTests
{
    [Fact]
    public void ToString_shows_the_deveui_but_never_the_claim_code_nor_the_qr_text_that_holds_it()
    {
        var text = Labels.Typical.ToString();

        text.Should().Contain("0018B20000000101");
        text.Should().NotContain("ABCDEFGHJKLMNP23").And.NotContain("LW:D0");
    }

    [Theory]
    [InlineData("0018b20000000101")]
    [InlineData("0018B2000000010")]
    [InlineData("0018B200000001011")]
    [InlineData("0018B2000000010G")]
    [InlineData("")]
    public void A_deveui_that_is_not_16_uppercase_hex_digits_is_refused(string devEui)
    {
        var create = () => new LabelContent("LW:D0:X", devEui, "ABCDEF");

        create.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("DevEui");
    }

    [Theory]
    [InlineData("ABCDE")]
    [InlineData("abcdef")]
    [InlineData("ABC-DEF")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    public void A_claim_code_outside_A_Z_0_9_6_to_32_is_refused_without_quoting_it(string claimCode)
    {
        var create = () => new LabelContent("LW:D0:X", "0018B20000000101", claimCode);

        create.Should().Throw<ArgumentException>().Which.Message.Should().NotContain(claimCode);
    }

    [Fact]
    public void With_checks_too()
    {
        var change = () => Labels.Typical with { ClaimCode = "bad" };

        change.Should().Throw<ArgumentException>();
    }
}

using Custodian.Core.Devices;

namespace Custodian.Core.Tests.Custody;

public class ClaimCodeTests
{
    [Fact]
    public void Generated_codes_are_16_characters_of_A_to_Z_and_0_to_9_and_differ()
    {
        var codes = Enumerable.Range(0, 100).Select(_ => ClaimCode.Generate().ExportSecret()).ToList();

        codes.Should().OnlyContain(c => c.Length == 16 && c.All(ch => char.IsAsciiLetterUpper(ch) || char.IsAsciiDigit(ch)));
        codes.Distinct().Should().HaveCount(100);
    }

    [Theory]
    [InlineData("abc123", "ABC123")]
    [InlineData("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ")]
    public void Given_codes_are_read_case_insensitively_and_kept_uppercase(string text, string expected) =>
        ClaimCode.Parse(text).ExportSecret().Should().Be(expected);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ABC12", "6 to 32 characters, got 5")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "got 33")]
    [InlineData("ABC-123", "character 4")]
    [InlineData("ÄBC123", "character 1")]
    public void Bad_codes_are_refused_with_the_reason(string text, string reason)
    {
        ClaimCode.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Matching_ignores_case_and_refuses_anything_else()
    {
        var code = ClaimCode.Parse("SECRET42");

        code.Matches("secret42").Should().BeTrue();
        code.Matches("SECRET43").Should().BeFalse();
        code.Matches("SECRET4").Should().BeFalse();
        code.Matches(null).Should().BeFalse();
        default(ClaimCode).Matches("SECRET42").Should().BeFalse();
    }

    [Fact]
    public void The_text_form_is_redacted() =>
        ClaimCode.Parse("SECRET42").ToString().Should().NotContain("SECRET42");
}

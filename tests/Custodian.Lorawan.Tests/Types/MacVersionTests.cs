namespace Custodian.Lorawan.Tests.Types;

public sealed class MacVersionTests
{
    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0.0", "1.0.0")]
    [InlineData("1.0.2", "1.0.2")]
    [InlineData("1.0.3", "1.0.3")]
    [InlineData("1.0.4", "1.0.4")]
    [InlineData("1.1", "1.1")]
    [InlineData("1.1.0", "1.1")]
    [InlineData("v1.0.3", "1.0.3")]
    [InlineData("MAC_V1_0_2", "1.0.2")]
    [InlineData("MAC_V1_1", "1.1")]
    [InlineData("mac_v1_0_3", "1.0.3")]
    [InlineData(" 1.0.3 ", "1.0.3")]
    public void Parses_the_spellings_peers_send(string text, string canonical)
    {
        var version = MacVersion.Parse(text);
        version.ToString().Should().Be(canonical);
        MacVersion.Parse(canonical).Should().Be(version);
    }

    [Theory]
    [InlineData("", "MAC version is empty.")]
    [InlineData("1.2", "MAC version '1.2' is not supported; expected 1.0.0 to 1.0.4, or 1.1.")]
    [InlineData("1.0.5", "MAC version '1.0.5' is not supported; expected 1.0.0 to 1.0.4, or 1.1.")]
    [InlineData("latest", "MAC version 'latest' is not supported; expected 1.0.0 to 1.0.4, or 1.1.")]
    public void Rejects_unknown_versions(string text, string message)
    {
        MacVersion.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(message);
    }

    [Fact]
    public void Version_rules()
    {
        MacVersion.V1_1.IsLorawan11.Should().BeTrue();
        MacVersion.V1_0_3.IsLorawan11.Should().BeFalse();
        MacVersion.V1_0_3.RequiresIncreasingDevNonce.Should().BeFalse();
        MacVersion.V1_0_4.RequiresIncreasingDevNonce.Should().BeTrue();
        MacVersion.V1_1.RequiresIncreasingDevNonce.Should().BeTrue();
    }
}

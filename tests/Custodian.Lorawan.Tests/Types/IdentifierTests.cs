using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Types;

public sealed class IdentifierTests
{
    [Property(Arbitrary = [typeof(Generators)])]
    public void DevEui_text_round_trips(DevEui devEui)
    {
        DevEui.Parse(devEui.ToString()).Should().Be(devEui);
        DevEui.Parse(devEui.ToString().ToLowerInvariant()).Should().Be(devEui);
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void JoinEui_text_round_trips(JoinEui joinEui) => JoinEui.Parse(joinEui.ToString()).Should().Be(joinEui);

    [Property(Arbitrary = [typeof(Generators)])]
    public void NetId_text_round_trips(NetId netId) => NetId.Parse(netId.ToString()).Should().Be(netId);

    [Property(Arbitrary = [typeof(Generators)])]
    public void DevAddr_text_round_trips(DevAddr devAddr) => DevAddr.Parse(devAddr.ToString()).Should().Be(devAddr);

    [Property(Arbitrary = [typeof(Generators)])]
    public void DevNonce_text_round_trips(DevNonce devNonce) => DevNonce.Parse(devNonce.ToString()).Should().Be(devNonce);

    [Property(Arbitrary = [typeof(Generators)])]
    public void JoinNonce_text_round_trips(JoinNonce joinNonce) => JoinNonce.Parse(joinNonce.ToString()).Should().Be(joinNonce);

    [Property(Arbitrary = [typeof(Generators)])]
    public void Wire_form_round_trips(DevEui devEui, JoinEui joinEui, NetId netId, DevAddr devAddr, DevNonce devNonce, JoinNonce joinNonce)
    {
        var bytes = new byte[8];
        devEui.WriteLittleEndian(bytes);
        DevEui.ReadLittleEndian(bytes).Should().Be(devEui);
        joinEui.WriteLittleEndian(bytes);
        JoinEui.ReadLittleEndian(bytes).Should().Be(joinEui);
        netId.WriteLittleEndian(bytes);
        NetId.ReadLittleEndian(bytes).Should().Be(netId);
        devAddr.WriteLittleEndian(bytes);
        DevAddr.ReadLittleEndian(bytes).Should().Be(devAddr);
        devNonce.WriteLittleEndian(bytes);
        DevNonce.ReadLittleEndian(bytes).Should().Be(devNonce);
        joinNonce.WriteLittleEndian(bytes);
        JoinNonce.ReadLittleEndian(bytes).Should().Be(joinNonce);
    }

    [Fact]
    public void Canonical_text_is_uppercase_and_lowercase_parses()
    {
        DevEui.Parse("70b3d57ed0000000").ToString().Should().Be("70B3D57ED0000000");
        JoinEui.Parse("70b3d57ed0000001").ToString().Should().Be("70B3D57ED0000001");
        NetId.Parse("00001a").ToString().Should().Be("00001A");
        DevAddr.Parse("26011bcd").ToString().Should().Be("26011BCD");
        DevNonce.Parse("abcd").ToString().Should().Be("ABCD");
        JoinNonce.Parse("0a0b0c").ToString().Should().Be("0A0B0C");
    }

    [Fact]
    public void Wire_order_is_little_endian_and_storage_big_endian()
    {
        var joinEui = JoinEui.Parse("70B3D57ED0000000");
        var wire = new byte[8];
        joinEui.WriteLittleEndian(wire);
        Convert.ToHexString(wire).Should().Be("000000D07ED5B370");
        Convert.ToHexString(joinEui.ToBigEndianBytes()).Should().Be("70B3D57ED0000000");

        var devNonce = new DevNonce(258);
        var nonce = new byte[2];
        devNonce.WriteLittleEndian(nonce);
        nonce.Should().Equal(0x02, 0x01);

        var netId = new byte[3];
        NetId.Parse("010203").WriteLittleEndian(netId);
        netId.Should().Equal(0x03, 0x02, 0x01);

        DevAddr.ReadLittleEndian(Convert.FromHexString("04030201")).Should().Be(DevAddr.Parse("01020304"));
    }

    [Theory]
    [InlineData("", "DevEUI is empty.")]
    [InlineData("   ", "DevEUI is empty.")]
    [InlineData("70B3D57ED000000", "DevEUI must be 16 hex digits, got 15 characters.")]
    [InlineData("70B3D57ED00000000", "DevEUI must be 16 hex digits, got 17 characters.")]
    [InlineData("70G3D57ED0000000", "DevEUI has a non-hex character 'G' at position 3.")]
    [InlineData("70-B3-D5-7E-D0-00", "DevEUI must be 16 hex digits, got 17 characters.")]
    [InlineData("70B3D57ED0\u000A00000", "DevEUI has a non-hex character U+000A at position 11.")]
    [InlineData("70B3D57ED0 00000", "DevEUI has a non-hex character U+0020 at position 11.")]
    public void DevEui_rejects_bad_text(string text, string message)
    {
        DevEui.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(message);
        ((Func<DevEui>)(() => DevEui.Parse(text))).Should().Throw<FormatException>().WithMessage(message);
    }

    [Theory]
    [InlineData("", "NetID is empty.")]
    [InlineData("0000001", "NetID must be 6 hex digits, got 7 characters.")]
    [InlineData("00000x", "NetID has a non-hex character 'x' at position 6.")]
    public void NetId_rejects_bad_text(string text, string message)
    {
        NetId.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(message);
    }

    [Theory]
    [InlineData("", "JoinEUI is empty.")]
    [InlineData("", "DevAddr is empty.")]
    [InlineData("", "DevNonce is empty.")]
    [InlineData("", "JoinNonce is empty.")]
    public void Empty_text_is_never_a_silent_zero(string text, string message)
    {
        var errors = new List<string?>();
        JoinEui.TryParse(text, out _, out var joinEui).Should().BeFalse();
        DevAddr.TryParse(text, out _, out var devAddr).Should().BeFalse();
        DevNonce.TryParse(text, out _, out var devNonce).Should().BeFalse();
        JoinNonce.TryParse(text, out _, out var joinNonce).Should().BeFalse();
        errors.AddRange([joinEui, devAddr, devNonce, joinNonce]);
        errors.Should().Contain(message);
    }

    [Fact]
    public void Short_wire_input_is_refused() =>
        ((Func<DevEui>)(() => DevEui.ReadLittleEndian(new byte[7]))).Should().Throw<ArgumentException>()
            .WithMessage("DevEUI needs 8 bytes, got 7.*");

    [Theory]
    [InlineData("70B3D57ED0000000/36", "70B3D57ED0000000", true)]
    [InlineData("70B3D57ED0000000/36", "70B3D57ED8FFFFFF", true)]
    [InlineData("70B3D57ED0000000/36", "70B3D57EE0000000", false)]
    [InlineData("70B3D5", "70B3D5FFFFFFFFFF", true)]
    [InlineData("70b3d5", "70B3D6FFFFFFFFFF", false)]
    [InlineData("0000000000000000/0", "FFFFFFFFFFFFFFFF", true)]
    [InlineData("70B3D57ED0000001/64", "70B3D57ED0000001", true)]
    [InlineData("70B3D57ED0000001/64", "70B3D57ED0000002", false)]
    public void JoinEuiPrefix_contains(string prefix, string joinEui, bool contained) =>
        JoinEuiPrefix.Parse(prefix).Contains(JoinEui.Parse(joinEui)).Should().Be(contained);

    [Fact]
    public void JoinEuiPrefix_text_round_trips()
    {
        JoinEuiPrefix.Parse("70B3D5").ToString().Should().Be("70B3D50000000000/24");
        JoinEuiPrefix.Parse("70B3D50000000000/24").Should().Be(JoinEuiPrefix.Parse("70b3d5"));
    }

    [Theory]
    [InlineData("", "JoinEUI prefix is empty.")]
    [InlineData("70B3D57ED0000000/65", "JoinEUI prefix length must be a whole number from 0 to 64, got '65'.")]
    [InlineData("70B3D57ED0000000/x", "JoinEUI prefix length must be a whole number from 0 to 64, got 'x'.")]
    [InlineData("70B3D57ED0000000/24", "JoinEUI prefix 70B3D57ED0000000/24 has bits set beyond its length.")]
    [InlineData("70B3D57ED0/36", "JoinEUI prefix: JoinEUI must be 16 hex digits, got 10 characters.")]
    public void JoinEuiPrefix_rejects_bad_text(string text, string message)
    {
        JoinEuiPrefix.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(message);
    }
}

using System.Text;
using System.Text.Json;
using Custodian.Lorawan.Qr;
using Custodian.Testing;

namespace Custodian.Lorawan.Tests.Qr;

/// <summary>Every vector of ../shared/vectors/qr.json, dispatched on its kind.</summary>
public sealed class QrVectorTests
{
    private const string File = "qr.json";
    private const string ParseKind = "qr-parse";
    private const string ErrorKind = "qr-parse-error";

    public static TheoryData<string> ParseVectors => Vectors.Ids(File, ParseKind);

    public static TheoryData<string> ErrorVectors => Vectors.Ids(File, ErrorKind);

    [Fact]
    public void Every_kind_in_the_file_is_tested()
    {
        Vectors.All(File).Select(v => v.Kind).Distinct().Should().BeSubsetOf([ParseKind, ErrorKind]);
    }

    [Theory]
    [MemberData(nameof(ParseVectors))]
    public void Parses_the_published_code(string id)
    {
        var vector = Vectors.Get(File, id);
        var payload = Payload(vector);

        var code = QrCode.Parse(payload);

        code.Format.ToFormatId().Should().Be(vector.ExpectedHex("formatId"));
        Hex(code.JoinEui?.ToString()).Should().Be(ExpectedString(vector, "joinEui"));
        Hex(code.DevEui.ToString()).Should().Be(vector.ExpectedHex("devEui"));
        ((int?)code.VendorId).Should().Be(ExpectedInt(vector, "vendorId"));
        ((int?)code.VendorProfileId).Should().Be(ExpectedInt(vector, "vendorProfileId"));
        code.OwnerToken.Should().Be(ExpectedString(vector, "ownerToken"));
        code.Serial.Should().Be(ExpectedString(vector, "serial"));
        code.Proprietary.Should().Be(ExpectedString(vector, "proprietary"));
        code.Checksum.Should().Be(ExpectedString(vector, "checksum"));
    }

    [Theory]
    [MemberData(nameof(ParseVectors))]
    public void Text_and_bytes_parse_alike(string id)
    {
        var payload = Payload(Vectors.Get(File, id));

        QrCode.Parse(Encoding.UTF8.GetString(payload)).Should().Be(QrCode.Parse(payload));
    }

    [Theory]
    [MemberData(nameof(ParseVectors))]
    public void Encodes_to_the_canonical_text_and_back(string id)
    {
        var vector = Vectors.Get(File, id);
        var code = QrCode.Parse(Payload(vector));

        var encoded = code.Encode();

        if (vector.HasExpected("canonical"))
        {
            encoded.Should().Be(Vectors.Text(vector.Expected, "canonical"));
        }
        QrCode.Parse(encoded).Should().Be(code);
    }

    [Theory]
    [MemberData(nameof(ErrorVectors))]
    public void Rejects_the_published_error(string id)
    {
        var payload = Payload(Vectors.Get(File, id));

        QrCode.TryParse(payload, out var code, out var error).Should().BeFalse();
        code.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();
        // Whatever text decoding a caller picks for the raw bytes, the result must be refused.
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.Latin1 })
        {
            var act = () => QrCode.Parse(encoding.GetString(payload));
            act.Should().Throw<FormatException>().WithMessage("Not a TR005 QR code: *");
        }
    }

    /// <summary>The payload bytes: <c>qrHex</c> verbatim, or the UTF-8 of <c>qr</c>.</summary>
    private static byte[] Payload(Vector vector) =>
        vector.HasInput("qrHex") ? vector.InputBytes("qrHex") : Encoding.UTF8.GetBytes(Vectors.Text(vector.Inputs, "qr"));

    private static string? Hex(string? text) => text?.ToLowerInvariant();

    private static string? ExpectedString(Vector vector, string name) =>
        vector.Expected.GetProperty(name) is { ValueKind: JsonValueKind.Null } ? null : Vectors.Text(vector.Expected, name);

    private static int? ExpectedInt(Vector vector, string name) =>
        vector.Expected.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt32() : null;
}

namespace Custodian.Labels.Tests;

/// <summary>
/// Labels drawn from our encoder scanned back by an independent decoder (zbarimg): from the smallest versions to one
/// with version information blocks, alphanumeric, mixed, byte and UTF-8 texts.
/// </summary>
public sealed class QrEncoderScanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-qr-scan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, int, int> Texts() => new()
    {
        // Text, smallest and largest version expected.
        { "LW:D0:1:2:3:OABCD", 1, 2 },
        { "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI", 4, 5 },
        { "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI:Ssn-lowercase-serial", 4, 5 },
        { "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI:S" + LongSerial(), 10, 13 },
        { "LW:D0:70B3D57ED0000010:0018B20000000100:00000000:OSKB5C89VSHWQFTVI:Sserial-é-ü-€-漢字", 4, 6 },
        { "0018200000000101", 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task The_label_scans_to_exactly_the_text(string text, int minVersion, int maxVersion)
    {
        var version = (QrModules.Encode(text).Size - (2 * QrModules.QuietZone) - 17) / 4;
        version.Should().BeInRange(minVersion, maxVersion);

        var png = DeviceLabel.Png(new LabelContent(text, "0018B20000000100", "SKB5C89VSHWQFTVI"));

        var path = Labels.Write(_directory, $"v{version}-{text.Length}.png", png);
        (await QrDecoder.DecodePngAsync(path)).Should().Be(text);
    }

    /// <summary>About 180 characters of mixed case: the whole text near 250 bytes, in byte mode.</summary>
    private static string LongSerial() => string.Concat(Enumerable.Repeat("serial-Number-0123456789-", 8))[..180];
}

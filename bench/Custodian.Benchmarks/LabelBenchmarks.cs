using BenchmarkDotNet.Attributes;
using Custodian.Labels;

namespace Custodian.Benchmarks;

/// <summary>
/// One device's sticker as `custodian devices provision` writes it (a PNG and an SVG per device): a typical TR005
/// text (version 4-M QR code, 41 modules with the quiet zone) and a 16-character claim code. Provisioning 100,000
/// devices at 1,000 a second leaves 1 ms a device on 2 shared cores, so Png + Svg should stay well under 0.5 ms.
/// Each call draws another device than the call before, as provisioning does: the library keeps the last QR code
/// encoded on a thread (for the SVG after the PNG), and drawing the same label over and over would only measure that.
/// </summary>
[MemoryDiagnoser]
public class LabelBenchmarks
{
    private static readonly LabelContent[] Devices =
    [
        new("LW:D0:70B3D57ED0000010:0018B20000000101:00000000:OABCDEFGHJKLMNP23:SSN123", "0018B20000000101", "ABCDEFGHJKLMNP23"),
        new("LW:D0:70B3D57ED0000010:0018B20000000102:00000000:OQRSTUVWXYZ234567:SSN124", "0018B20000000102", "QRSTUVWXYZ234567"),
    ];

    private readonly LabelSheet _sheet = new(TextWriter.Null, "Benchmark");
    private int _next;

    [Benchmark(Description = "DeviceLabel.Png, typical TR005 text")]
    public byte[] Png() => DeviceLabel.Png(NextDevice());

    [Benchmark(Description = "DeviceLabel.Svg, typical TR005 text")]
    public string Svg() => DeviceLabel.Svg(NextDevice());

    [Benchmark(Description = "One device: Png then Svg (as provisioning writes them)")]
    public int PngThenSvg()
    {
        var device = NextDevice();
        return DeviceLabel.Png(device).Length + DeviceLabel.Svg(device).Length;
    }

    [Benchmark(Description = "LabelSheet.Add, one cell")]
    public void SheetCell() => _sheet.Add("0018B20000000101", "0018B20000000101.svg");

    private LabelContent NextDevice() => Devices[_next++ & 1];
}

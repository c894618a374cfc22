using System.Collections.Concurrent;
using Custodian.Cli.Commands;
using Custodian.Cli.Images;
using Custodian.Labels;
using Custodian.Testing;
using SkiaSharp;

namespace Custodian.Cli.Tests;

/// <summary>
/// Labels always read: every clean label Custodian draws (the CLI's <c>qr render</c> PNG and the provisioning
/// label of Custodian.Labels) decodes, over 10,000 random TR005 texts; and photos of labels (turned, scaled,
/// blurred, noisy, JPEG) read at least as often as zbarimg reads the same files.
/// </summary>
public sealed class QrDecodeReliabilityTests : IDisposable
{
    // CUSTODIAN_TEST_SEED replays a failing run; the seed is in every failure message.
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("CUSTODIAN_TEST_SEED"), out var seed) ? seed : 30_062;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-qr-photos-");

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>A text ZXing's single-code detector misread before: a data run looked like a finder pattern.</summary>
    [Fact]
    public void The_label_that_failed_to_read_reads()
    {
        const string Text = "LW:D0:1B3FE1186B6FB470:645A84A317180E2A:00000000:OB9M05BZYY";

        Decode(QrCommands.RenderPng(Text)).Should().Be(Text);
        Decode(DeviceLabel.Png(new LabelContent(Text, "645A84A317180E2A", "B9M05BZYY"))).Should().Be(Text);
    }

    [Fact]
    public void Ten_thousand_random_labels_all_read()
    {
        const int Count = 10_000;
        var labels = Tr005Label.Random(new Random(Seed), Count);
        var misses = new ConcurrentBag<string>();

        Parallel.ForEach(labels, label =>
        {
            if (Decode(QrCommands.RenderPng(label.QrText)) != label.QrText)
            {
                misses.Add("qr render: " + label.QrText);
            }
            if (Decode(DeviceLabel.Png(label)) != label.QrText)
            {
                misses.Add("label: " + label.QrText);
            }
        });

        misses.Should().BeEmpty($"every one of {Count} clean labels (seed {Seed}) must read; these did not");
    }

    [Fact]
    public async Task Photos_of_labels_read_at_least_as_well_as_zbarimg()
    {
        const int Count = 96;
        var random = new Random(Seed);
        var photos = Tr005Label.Random(random, Count)
            .Select((label, i) => (label, path: LabelPhoto.Write(label, random.Next(), Path.Combine(_directory.FullName, $"photo{i}.jpg"))))
            .ToList();

        var ours = new ConcurrentBag<int>();
        var wrong = new ConcurrentBag<string>();
        Parallel.For(0, photos.Count, i =>
        {
            var (label, path) = photos[i];
            if (!QrImageDecoder.TryDecode(path, out var text, out _))
            {
                return;
            }
            if (text == label.QrText)
            {
                ours.Add(i);
            }
            else
            {
                wrong.Add($"{path}: {text}");
            }
        });
        var zbar = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(0, photos.Count), TestContext.Current.CancellationToken, async (i, _) =>
        {
            var run = await ExternalTool.RunAsync("zbarimg", "zbar-tools", "--quiet", "--raw", photos[i].path);
            if (run.ExitCode == 0 && run.Out.TrimEnd('\n') == photos[i].label.QrText)
            {
                zbar.Add(i);
            }
        });

        var because = $"seed {Seed}: we read {ours.Count} of {Count} photos, zbarimg {zbar.Count}";
        TestContext.Current.SendDiagnosticMessage(because);
        wrong.Should().BeEmpty(because);
        zbar.Except(ours).Should().BeEmpty($"every photo zbarimg reads must read here too ({because})");
        ours.Count.Should().BeGreaterThanOrEqualTo(zbar.Count, because);
        // The photos are meant to be hard, not hopeless: most must still read.
        ours.Count.Should().BeGreaterThan(Count / 2, because);
    }

    private static string? Decode(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        return QrImageDecoder.Decode(bitmap);
    }
}

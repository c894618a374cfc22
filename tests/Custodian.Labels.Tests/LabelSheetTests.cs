using System.Xml;
using System.Xml.Linq;

namespace Custodian.Labels.Tests;

public sealed class LabelSheetTests
{
    private static readonly XNamespace Html = "http://www.w3.org/1999/xhtml";

    [Fact]
    public void A_sheet_is_well_formed_with_one_image_per_label()
    {
        using var output = new StringWriter();
        var sheet = new LabelSheet(output, "Batch 7");
        var devEuis = Enumerable.Range(1, 27).Select(i => $"0018B200000001{i:X2}").ToList();
        foreach (var devEui in devEuis)
        {
            sheet.Add(devEui, $"{devEui}.svg");
        }
        sheet.Complete();

        var html = output.ToString();
        html.Should().StartWith("<!DOCTYPE html>");
        var document = Parse(html);
        var images = document.Descendants(Html + "img").ToList();
        images.Select(i => i.Attribute("src")!.Value).Should().Equal(devEuis.Select(d => $"{d}.svg"));
        images.Select(i => i.Attribute("alt")!.Value).Should().Equal(devEuis.Select(d => $"Label of device {d}"));
        images.Should().AllSatisfy(i => i.Parent!.Attribute("class")!.Value.Should().Be("label"));
        document.Descendants(Html + "h1").Single().Value.Should().Be("Batch 7");
        document.Descendants(Html + "footer").Single().Value.Should().Be("27 labels");
        var style = document.Descendants(Html + "style").Single().Value;
        style.Should().Contain("@page { size: A4; margin: 10mm; }").And.Contain("break-inside: avoid").And.MatchRegex(@"\.label \{[^}]*width: \d+mm");
    }

    [Fact]
    public void A_hostile_title_and_href_are_escaped()
    {
        const string title = "</title><script>alert(1)</script> & \"quotes\" 'single' \u0001 \uD800 é 😀";
        using var output = new StringWriter();
        var sheet = new LabelSheet(output, title);
        sheet.Add("0018B20000000101\"><script>", "x.svg\" onerror=\"alert(1)");
        sheet.Complete();

        var document = Parse(output.ToString());
        document.Descendants(Html + "script").Should().BeEmpty();
        var expected = title.Replace("\u0001", "\uFFFD", StringComparison.Ordinal).Replace("\uD800", "\uFFFD", StringComparison.Ordinal);
        document.Descendants(Html + "title").Single().Value.Should().Be(expected);
        document.Descendants(Html + "h1").Single().Value.Should().Be(expected);
        var image = document.Descendants(Html + "img").Single();
        image.Attribute("src")!.Value.Should().Be("x.svg\" onerror=\"alert(1)");
        image.Attributes().Select(a => a.Name.LocalName).Should().BeEquivalentTo("src", "alt");
    }

    [Fact]
    public void Labels_are_written_as_they_are_added_and_none_after_complete()
    {
        using var output = new StringWriter();
        var sheet = new LabelSheet(output, "Streamed");
        sheet.Add("0018B20000000101", "0018B20000000101.png");

        output.ToString().Should().Contain("<img src=\"0018B20000000101.png\" alt=\"Label of device 0018B20000000101\"/>");
        sheet.Complete();
        var written = output.ToString();
        Parse(written).Descendants(Html + "footer").Single().Value.Should().Be("1 label");

        ((Action)(() => sheet.Add("0018B20000000102", "0018B20000000102.png"))).Should().Throw<InvalidOperationException>();
        ((Action)sheet.Complete).Should().Throw<InvalidOperationException>();
        output.ToString().Should().Be(written);
    }

    [Fact]
    public void An_empty_sheet_is_still_a_document()
    {
        using var output = new StringWriter();
        var sheet = new LabelSheet(output, "Nothing");
        sheet.Complete();

        Parse(output.ToString()).Descendants(Html + "img").Should().BeEmpty();
    }

    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }
}

using System.Globalization;

namespace Custodian.Labels;

/// <summary>
/// A printable A4 sheet of labels as HTML, written as labels are added so that 100,000 labels never sit in memory:
/// a grid of fixed millimetre cells (5 across, 5 down a page) that never break across pages, each an
/// <c>&lt;img&gt;</c> of a label file beside the sheet. The markup is also well-formed XML (XHTML syntax), and
/// everything written is escaped.
/// </summary>
public sealed class LabelSheet
{
    private const string Style = """
        @page { size: A4; margin: 10mm; }
        body { margin: 0; font-family: sans-serif; color: #000; background: #fff; }
        h1 { font-size: 12pt; margin: 0 0 4mm; }
        /* Cells are inline blocks: they wrap and paginate line by line in every engine. No font size, no gaps. */
        .labels { font-size: 0; line-height: 0; }
        .label { display: inline-block; box-sizing: border-box; width: 38mm; height: 50mm; padding: 2mm;
                 vertical-align: top; text-align: center; break-inside: avoid; page-break-inside: avoid; }
        .label img { max-width: 100%; max-height: 100%; }
        footer { font-size: 9pt; margin-top: 4mm; }
        """;

    private readonly TextWriter _output;
    private long _count;
    private bool _complete;

    /// <summary>Writes the document's head and heading at once.</summary>
    public LabelSheet(TextWriter output, string title)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(title);
        _output = output;
        output.Write("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
        Markup.Write(output, title);
        output.Write("</title>\n<style>\n");
        output.Write(Style);
        output.Write("\n</style>\n</head>\n<body>\n<h1>");
        Markup.Write(output, title);
        output.Write("</h1>\n<div class=\"labels\">\n");
    }

    /// <summary>One label cell: <c>&lt;img src="<paramref name="imageHref"/>" alt="Label of device <paramref name="devEui"/>"&gt;</c>.</summary>
    public void Add(string devEui, string imageHref)
    {
        ArgumentNullException.ThrowIfNull(devEui);
        ArgumentNullException.ThrowIfNull(imageHref);
        ThrowIfComplete();
        _output.Write("<div class=\"label\"><img src=\"");
        Markup.Write(_output, imageHref);
        _output.Write("\" alt=\"Label of device ");
        Markup.Write(_output, devEui);
        _output.Write("\"/></div>\n");
        _count++;
    }

    /// <summary>Closes the document, with the number of labels in a footer. Nothing may be added afterwards.</summary>
    public void Complete()
    {
        ThrowIfComplete();
        _complete = true;
        _output.Write("</div>\n<footer><p>");
        _output.Write(_count.ToString("N0", CultureInfo.InvariantCulture));
        _output.Write(_count == 1 ? " label" : " labels");
        _output.Write("</p></footer>\n</body>\n</html>\n");
    }

    private void ThrowIfComplete()
    {
        if (_complete)
        {
            throw new InvalidOperationException("The label sheet is complete: no label can be added after Complete.");
        }
    }
}

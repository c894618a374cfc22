namespace Custodian.Cli.Output;

/// <summary>Aligned columns for people: a header, then one line per row; empty cells show as "-".</summary>
internal static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var lines = rows.Select(row => row.Select(cell => string.IsNullOrEmpty(cell) ? "-" : cell).ToArray()).ToList();
        var widths = headers.Select((header, column) => lines.Select(line => line[column].Length).Prepend(header.Length).Max()).ToArray();
        WriteLine(output, headers, widths);
        foreach (var line in lines)
        {
            WriteLine(output, line, widths);
        }
    }

    private static void WriteLine(TextWriter output, IReadOnlyList<string> cells, int[] widths) =>
        // The last column is not padded, so lines carry no trailing spaces.
        output.WriteLine(string.Join("  ", cells.Select((cell, column) => column == cells.Count - 1 ? cell : cell.PadRight(widths[column]))));
}

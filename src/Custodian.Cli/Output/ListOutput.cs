using System.Text.Json;
using Custodian.Cli.Api;

namespace Custodian.Cli.Output;

/// <summary>A column of a list: its header and how a record of the server's answer fills it.</summary>
internal sealed record Column(string Header, Func<JsonElement, string?> Cell)
{
    /// <summary>A column showing the field <paramref name="name"/> as it is (arrays comma-separated, booleans yes/no).</summary>
    public static Column Field(string header, string name) => new(header, record => FieldList.Cell(record, name));

    /// <summary>A column showing the timestamp field <paramref name="name"/> in UTC, to the second.</summary>
    public static Column Time(string header, string name) => new(header, record => FieldList.TimeCell(record, name));
}

/// <summary>
/// Prints the records of a list: for scripts (<c>--json</c>) one JSON array of the server's records as they came,
/// for people a table, or a sentence when there is nothing to show.
/// </summary>
internal static class ListOutput
{
    public static void Write(CliConsole console, bool json, IReadOnlyList<JsonElement> records, IReadOnlyList<Column> columns, string noneMessage)
    {
        if (json)
        {
            CliJson.Write(console.Out, records);
        }
        else if (records.Count == 0)
        {
            console.Out.WriteLine(noneMessage);
        }
        else
        {
            Table.Write(console.Out, [.. columns.Select(column => column.Header)], records.Select(record => columns.Select(column => column.Cell(record)).ToArray()));
        }
    }
}

using System.Text;

namespace Custodian.Cli.Output;

/// <summary>CSV as the tool writes it (reports, manifests): comma-separated, RFC 4180 quoting only where needed.</summary>
internal static class Csv
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0
            ? text
            : new StringBuilder(text.Length + 2).Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').ToString();
    }

    public static void WriteLine(TextWriter output, IEnumerable<string?> values)
    {
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                output.Write(',');
            }
            output.Write(Escape(value));
            first = false;
        }
        output.WriteLine();
    }
}

using System.Text;

namespace Custodian.ClaimFiles;

/// <summary>
/// Reads CSV records one at a time from a text stream (RFC 4180 quoting: a field in double quotes may hold the
/// separator, line breaks and doubled quotes), keeping line numbers. Lines may end in LF, CRLF or CR; blank lines are
/// skipped, as Go's CSV reader (and so The Things Stack) does. Only one record is held at a time.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, char separator, int linesBefore = 0)
{
    private readonly StringBuilder _field = new();
    private int _line = linesBefore;

    public char Separator { get; } = separator;

    /// <summary>The line the last record read started on (1-based).</summary>
    public int RecordLine { get; private set; }

    /// <summary>
    /// Reads the first non-blank line as the header row and guesses the separator from it, as The Things Stack does
    /// (<c>;</c> if the header holds one, else <c>,</c>); the records after it follow from the returned reader.
    /// Null for an input with no header (empty or blank).
    /// </summary>
    public static (List<string> Header, CsvRecordReader Records)? OpenWithHeader(TextReader reader)
    {
        var linesBefore = 0;
        string? line;
        do
        {
            line = reader.ReadLine();
            linesBefore++;
        }
        while (line is not null && string.IsNullOrWhiteSpace(line));
        if (line is null)
        {
            return null;
        }
        var separator = line.Contains(';') ? ';' : ',';
        var header = new List<string>();
        new CsvRecordReader(new StringReader(line), separator).TryRead(header);
        return (header, new CsvRecordReader(reader, separator, linesBefore));
    }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    /// <exception cref="ClaimFileException">A quoted field is still open at the end of the input.</exception>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        string? text;
        do
        {
            text = reader.ReadLine();
            _line++;
            if (text is null)
            {
                return false;
            }
        }
        while (string.IsNullOrWhiteSpace(text));
        RecordLine = _line;
        Parse(text, fields);
        return true;
    }

    private void Parse(string text, List<string> fields)
    {
        var position = 0;
        while (true)
        {
            // Leading spaces are not part of a field (TTS trims them), and a quote after them opens a quoted field.
            while (position < text.Length && text[position] is ' ' or '\t')
            {
                position++;
            }
            _field.Clear();
            if (position < text.Length && text[position] == '"')
            {
                text = ReadQuoted(text, ref position);
            }
            var end = text.IndexOf(Separator, position);
            // After a closing quote, or in an unquoted field, the text up to the separator is taken as it is.
            _field.Append(text, position, (end < 0 ? text.Length : end) - position);
            fields.Add(_field.ToString().TrimEnd());
            if (end < 0)
            {
                return;
            }
            position = end + 1;
        }
    }

    /// <summary>
    /// Appends a quoted field's content to <see cref="_field"/>, reading further lines while the quote is open; returns
    /// the line (possibly joined with later ones) with <paramref name="position"/> just after the closing quote.
    /// </summary>
    private string ReadQuoted(string text, ref int position)
    {
        position++;
        while (true)
        {
            var quote = text.IndexOf('"', position);
            if (quote < 0)
            {
                _field.Append(text, position, text.Length - position).Append('\n');
                text = reader.ReadLine() ?? throw new ClaimFileException($"line {RecordLine}: a quoted field is not closed before the end of the file");
                _line++;
                position = 0;
                continue;
            }
            _field.Append(text, position, quote - position);
            if (quote + 1 < text.Length && text[quote + 1] == '"')
            {
                _field.Append('"');
                position = quote + 2;
                continue;
            }
            position = quote + 1;
            return text;
        }
    }
}

/// <summary>The file cannot be used at all (unknown format, no usable header, broken structure): nothing is sent.</summary>
public sealed class ClaimFileException(string message) : Exception(message);

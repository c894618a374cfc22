using System.Text;

namespace Custodian.ClaimFiles;

/// <summary>
/// Reads CSV records one at a time from a text stream (RFC 4180 quoting: a field in double quotes may hold the
/// separator, line breaks and doubled quotes), keeping line numbers. Lines may end in LF, CRLF or CR; blank lines are
/// skipped, as Go's CSV reader (and so The Things Stack) does. Only one record is held at a time, and it is bounded: at
/// most <see cref="MaxRecordLength"/> characters (quoted line breaks included) and <see cref="MaxFields"/> fields, so
/// no input, however long its lines, makes the reader hold more.
/// </summary>
public sealed class CsvRecordReader(TextReader reader, char separator, int linesBefore = 0)
{
    /// <summary>The longest record read (a claim row is well under 1,000 characters).</summary>
    public const int MaxRecordLength = 64 * 1024;

    /// <summary>The most fields a record may have.</summary>
    public const int MaxFields = 256;

    private readonly StringBuilder _field = new();
    private readonly StringBuilder _text = new();
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
        var buffer = new StringBuilder();
        string? line;
        do
        {
            linesBefore++;
            line = ReadLine(reader, buffer, linesBefore, MaxRecordLength);
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
            _line++;
            text = ReadLine(reader, _text, _line, MaxRecordLength);
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
            if (fields.Count == MaxFields)
            {
                throw new ClaimFileException($"line {RecordLine}: a record has more than {MaxFields} fields");
            }
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
                _line++;
                // The record so far is in the field: what is left of the cap bounds the next line.
                text = ReadLine(reader, _text, RecordLine, Math.Max(0, MaxRecordLength - _field.Length))
                    ?? throw new ClaimFileException($"line {RecordLine}: a quoted field is not closed before the end of the file");
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

    /// <summary>
    /// One line without its end (LF, CRLF or CR), null at the end of the input; a line longer than
    /// <paramref name="limit"/> characters fails with the line its record started on, before more of it is held.
    /// </summary>
    private static string? ReadLine(TextReader source, StringBuilder buffer, int recordLine, int limit)
    {
        buffer.Clear();
        while (true)
        {
            var next = source.Read();
            switch (next)
            {
                case -1:
                    return buffer.Length == 0 ? null : buffer.ToString();
                case '\n':
                    return buffer.ToString();
                case '\r':
                    if (source.Peek() == '\n')
                    {
                        source.Read();
                    }
                    return buffer.ToString();
            }
            if (buffer.Length >= limit)
            {
                throw new ClaimFileException($"line {recordLine}: a record is longer than {MaxRecordLength} characters");
            }
            buffer.Append((char)next);
        }
    }
}

/// <summary>The file cannot be used at all (unknown format, no usable header, broken structure): nothing is sent.</summary>
public sealed class ClaimFileException(string message) : Exception(message);

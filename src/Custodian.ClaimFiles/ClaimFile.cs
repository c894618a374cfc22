using System.Text;

namespace Custodian.ClaimFiles;

/// <summary>
/// A file of claims, its format told by its content (JSON starts with <c>[</c> or <c>{</c>, anything else is read as
/// CSV; the extension only sharpens the message when neither fits). Opening checks the format and the CSV header, so
/// an unusable file stops before anything is sent; the rows are then streamed, as often as asked.
/// </summary>
public sealed class ClaimFile
{
    private const int SampleSize = 4096;
    private const int BufferSize = 64 * 1024;
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private ClaimFile(string path, string name, ClaimFileFormat format, int bomLength)
    {
        Path = path;
        Name = name;
        Format = format;
        _bomLength = bomLength;
    }

    private readonly int _bomLength;

    public string Path { get; }

    /// <summary>What messages call the file: its path, or the name it had where it came from (an upload).</summary>
    public string Name { get; }

    public ClaimFileFormat Format { get; }

    /// <param name="path">The file.</param>
    /// <param name="name">What messages call it, and whose extension says "JSON" (the path by default).</param>
    /// <exception cref="ClaimFileException">The file is missing, empty, not text, or in no format the command reads.</exception>
    public static ClaimFile Open(string path, string? name = null)
    {
        name ??= path;
        if (!File.Exists(path))
        {
            throw new ClaimFileException($"No such file: {name}.");
        }
        var sample = Sample(path);
        if (sample.Length >= 2 && (sample[..2].SequenceEqual(new byte[] { 0xFF, 0xFE }) || sample[..2].SequenceEqual(new byte[] { 0xFE, 0xFF })))
        {
            throw new ClaimFileException($"{name} is UTF-16 text: save it as UTF-8, as CSV ({CsvClaimReader.Expected}) or JSON ({JsonClaimReader.Expected}).");
        }
        var bomLength = sample.AsSpan().StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        var text = sample.AsSpan(bomLength);
        if (text.Contains((byte)0))
        {
            throw new ClaimFileException($"{name} is not a text file: expected CSV ({CsvClaimReader.Expected}) or JSON ({JsonClaimReader.Expected}).");
        }
        var first = text.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 && sample.Length < SampleSize)
        {
            throw new ClaimFileException($"{name} is empty: expected CSV ({CsvClaimReader.Expected}) or JSON ({JsonClaimReader.Expected}).");
        }
        if (first >= 0 && text[first] is (byte)'[' or (byte)'{')
        {
            return new ClaimFile(path, name, ClaimFileFormat.Json, bomLength);
        }
        if (System.IO.Path.GetExtension(name).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClaimFileException($"{name} does not start with '[' or '{{': expected {JsonClaimReader.Expected}.");
        }
        var file = new ClaimFile(path, name, ClaimFileFormat.Csv, bomLength);
        // Reading the header checks it; the rows are read later.
        using var reader = file.OpenText();
        CsvClaimReader.Open(reader, name);
        return file;
    }

    /// <summary>How many rows the file holds (a quick pass without checking the rows), also checking it is well formed.</summary>
    public long CountRows()
    {
        if (Format == ClaimFileFormat.Json)
        {
            using var stream = OpenStream();
            return JsonClaimReader.CountRows(stream);
        }
        using var reader = OpenText();
        return CsvClaimReader.Open(reader, Name).CountRows();
    }

    public IEnumerable<ClaimRow> Rows()
    {
        if (Format == ClaimFileFormat.Json)
        {
            using var stream = OpenStream();
            foreach (var row in JsonClaimReader.Rows(stream))
            {
                yield return row;
            }
            yield break;
        }
        using var reader = OpenText();
        foreach (var row in CsvClaimReader.Open(reader, Name).Rows())
        {
            yield return row;
        }
    }

    private FileStream OpenStream()
    {
        var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        stream.Position = _bomLength;
        return stream;
    }

    // The BOM, if any, is skipped by the stream's position; invalid UTF-8 becomes U+FFFD and fails the EUI or code it is in.
    private StreamReader OpenText() => new(OpenStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false, BufferSize);

    private static byte[] Sample(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[SampleSize];
        var length = stream.ReadAtLeast(buffer, SampleSize, throwOnEndOfStream: false);
        return buffer[..length];
    }
}

public enum ClaimFileFormat
{
    Csv,
    Json,
}

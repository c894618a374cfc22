namespace Custodian.ClaimFiles;

/// <summary>
/// Claim rows from a CSV file in The Things Stack's style: a mandatory header row of lowercase column names, the
/// separator guessed from it (<c>;</c> if it holds one, else <c>,</c>), unknown columns ignored; <c>dev_eui</c>,
/// <c>join_eui</c> (or <c>app_eui</c>) and <c>claim_authentication_code</c>, and/or <c>qr_code</c>.
/// </summary>
public sealed class CsvClaimReader
{
    public const string Expected =
        "a header row naming the columns dev_eui, join_eui (or app_eui) and claim_authentication_code, or qr_code (separated by ';' or ',')";

    private readonly CsvRecordReader _records;
    private readonly int _devEui, _joinEui, _appEui, _code, _qr;

    private CsvClaimReader(CsvRecordReader records, IReadOnlyList<string> header)
    {
        _records = records;
        var names = header.Select(name => name.Trim()).ToList();
        (_devEui, _joinEui, _appEui, _code, _qr) = (names.IndexOf("dev_eui"), names.IndexOf("join_eui"), names.IndexOf("app_eui"),
            names.IndexOf("claim_authentication_code"), names.IndexOf("qr_code"));
    }

    /// <summary>Reads the header row; the rows follow through <see cref="Rows"/>.</summary>
    /// <exception cref="ClaimFileException">The file is empty, or its header names no usable set of columns.</exception>
    public static CsvClaimReader Open(TextReader reader, string fileName)
    {
        if (CsvRecordReader.OpenWithHeader(reader) is not ({ } header, { } records))
        {
            throw new ClaimFileException($"{fileName} is empty: expected {Expected}.");
        }
        var csv = new CsvClaimReader(records, header);
        if (!csv.IsUsable)
        {
            throw new ClaimFileException($"{fileName} has no usable header row: expected {Expected}.");
        }
        return csv;
    }

    private bool IsUsable => _qr >= 0 || (_devEui >= 0 && (_joinEui >= 0 || _appEui >= 0) && _code >= 0);

    public IEnumerable<ClaimRow> Rows()
    {
        var fields = new List<string>();
        while (_records.TryRead(fields))
        {
            var joinEui = Cell(fields, _joinEui);
            if (string.IsNullOrWhiteSpace(joinEui))
            {
                joinEui = Cell(fields, _appEui);
            }
            var names = _joinEui < 0 && _appEui >= 0 ? ClaimFieldNames.Csv with { JoinEui = "app_eui" } : ClaimFieldNames.Csv;
            yield return ClaimRow.Create(_records.RecordLine, names, Cell(fields, _devEui), joinEui, Cell(fields, _code), Cell(fields, _qr));
        }
    }

    /// <summary>Counts the records after the header without checking them (the progress bar's total).</summary>
    public long CountRows()
    {
        var fields = new List<string>();
        long count = 0;
        while (_records.TryRead(fields))
        {
            count++;
        }
        return count;
    }

    private static string? Cell(List<string> fields, int column) => column >= 0 && column < fields.Count ? fields[column] : null;
}

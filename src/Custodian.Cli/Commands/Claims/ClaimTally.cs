using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// Counts what became of the rows, keeps the first failures for the summary and, when asked, writes the report:
/// <c>dev_eui,status,error</c>, one line per input row in input order.
/// </summary>
internal sealed class ClaimTally(TextWriter? report) : IDisposable
{
    public const int FailuresShown = 10;

    private readonly List<ClaimFailure> _failures = [];
    private bool _headerWritten;

    public long Rows { get; private set; }

    public long Claimed { get; private set; }

    public long AlreadyClaimed { get; private set; }

    public long Failed { get; private set; }

    /// <summary>The first <see cref="FailuresShown"/> failures, in input order.</summary>
    public IReadOnlyList<ClaimFailure> FirstFailures => _failures;

    public void Add(ClaimBatch batch)
    {
        WriteHeader();
        for (var i = 0; i < batch.Rows.Length; i++)
        {
            var (row, outcome) = (batch.Rows[i], batch.Outcomes[i]);
            var devEui = row.DevEui.Length > 0 ? row.DevEui : outcome.DevEui ?? "";
            Rows++;
            switch (outcome.Status)
            {
                case ClaimStatuses.Claimed:
                    Claimed++;
                    break;
                case ClaimStatuses.AlreadyClaimed:
                    AlreadyClaimed++;
                    break;
                default:
                    Failed++;
                    if (_failures.Count < FailuresShown)
                    {
                        _failures.Add(new ClaimFailure(row.Line, devEui, outcome.Error ?? ""));
                    }
                    break;
            }
            // A DevEUI that could not be read is shown as written, so the row can be found.
            report?.Write(Csv.Escape(devEui));
            report?.Write(',');
            report?.Write(outcome.Status);
            report?.Write(',');
            report?.WriteLine(Csv.Escape(outcome.Error));
        }
        // Whole batches reach the disk: a run that is killed leaves a report of complete lines.
        report?.Flush();
    }

    /// <summary>The header goes out even when the file has no rows, so a report is always a CSV with its columns.</summary>
    public void WriteHeader()
    {
        if (!_headerWritten)
        {
            report?.WriteLine("dev_eui,status,error");
            _headerWritten = true;
        }
    }

    public void Dispose() => report?.Dispose();
}

/// <summary>A failed row as the summary shows it: where it is in the file and why it failed.</summary>
internal sealed record ClaimFailure(int Line, string DevEui, string Error);

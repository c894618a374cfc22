using Custodian.Cli.Commands.Claims;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// Counts what became of the rows, keeps the first failures for the summary and, when asked, writes the report:
/// <c>dev_eui,status,error</c>, one line per row sent in this run, in input order, flushed batch by batch.
/// </summary>
internal sealed class ProvisionTally(TextWriter? report) : IDisposable
{
    private readonly List<ClaimFailure> _failures = [];

    public long Rows { get; private set; }

    public long Created { get; private set; }

    public long AlreadyProvisioned { get; private set; }

    public long Failed { get; private set; }

    /// <summary>The first <see cref="ClaimTally.FailuresShown"/> failures, in input order.</summary>
    public IReadOnlyList<ClaimFailure> FirstFailures => _failures;

    public void WriteHeader() => report?.WriteLine("dev_eui,status,error");

    public void Add(DeviceRow row, ProvisionOutcome outcome)
    {
        Rows++;
        switch (outcome.Status)
        {
            case ProvisionStatuses.Created:
                Created++;
                break;
            case ProvisionStatuses.AlreadyProvisioned:
                AlreadyProvisioned++;
                break;
            default:
                Failed++;
                if (_failures.Count < ClaimTally.FailuresShown)
                {
                    _failures.Add(new ClaimFailure(row.Line, row.DevEui, outcome.Error ?? ""));
                }
                break;
        }
        if (report is not null)
        {
            Csv.WriteLine(report, [row.DevEui, outcome.Status, outcome.Error]);
        }
    }

    /// <summary>Whole batches reach the disk: a run that is killed leaves a report of complete lines.</summary>
    public void Flush() => report?.Flush();

    public void Dispose() => report?.Dispose();
}

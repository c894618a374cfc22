using System.Globalization;
using System.Text;
using Custodian.Cli.Api;
using Custodian.Cli.Batches;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// <c>custodian claim --file</c>: checks the file (format, header, well-formedness) and counts its rows before
/// sending anything, claims the rows in batches, writes the report and prints the summary.
/// </summary>
internal static class FileClaim
{
    public sealed record Settings(FileInfo File, FileInfo? Report, int BatchSize, int Parallel, bool Json);

    public static async Task<int> RunAsync(CliConsole console, CustodianClient client, ClaimHome home, Settings settings, CancellationToken cancellationToken)
    {
        ClaimFile file;
        long total;
        try
        {
            file = ClaimFile.Open(settings.File.FullName);
            // A quick pass first: the progress bar gets its total (rows, not bytes, so rate and ETA are in devices),
            // and a file broken halfway stops here, before anything is sent.
            total = file.CountRows();
        }
        catch (ClaimFileException e)
        {
            return console.Stop(e.Message);
        }
        catch (IOException e)
        {
            return console.Stop($"Cannot read {settings.File.FullName}: {e.Message}");
        }

        StreamWriter? report;
        try
        {
            report = OpenReport(settings.Report);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return console.Stop($"Cannot write the report {settings.Report!.FullName}: {e.Message}");
        }
        using var tally = new ClaimTally(report);
        tally.WriteHeader();
        var progress = new ProgressBar(console, "Claiming", "devices", total);
        (BatchRunEnd End, string? Reason) result;
        try
        {
            result = await new ClaimImport(client, home, settings.BatchSize, settings.Parallel).RunAsync(file.Rows(), tally, progress, cancellationToken);
        }
        catch (Exception e) when (e is ClaimFileException or IOException)
        {
            result = (BatchRunEnd.Stopped, e.Message);
        }
        progress.Complete();
        var summary = new Summary(settings, total, tally, result.End, result.Reason);
        summary.Write(console);
        return summary.ExitCode;
    }

    private static StreamWriter? OpenReport(FileInfo? report) =>
        report is null ? null : new StreamWriter(report.FullName, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024);

    /// <summary>What the import did, for people (stdout, and why it stopped on stderr) or scripts (one JSON object).</summary>
    private sealed record Summary(Settings Settings, long Total, ClaimTally Tally, BatchRunEnd End, string? Reason)
    {
        public int ExitCode => End.ExitCode(Tally.Failed);

        public void Write(CliConsole console)
        {
            if (Settings.Json)
            {
                CliJson.Write(console.Out, new
                {
                    file = Settings.File.FullName,
                    rows = Total,
                    done = Tally.Rows,
                    claimed = Tally.Claimed,
                    alreadyClaimed = Tally.AlreadyClaimed,
                    failed = Tally.Failed,
                    report = Settings.Report?.FullName,
                    failures = Tally.FirstFailures.Select(f => new { line = f.Line, devEui = f.DevEui.Length > 0 ? f.DevEui : null, error = f.Error }),
                    stopped = End == BatchRunEnd.Stopped ? Reason : null,
                    interrupted = End == BatchRunEnd.Interrupted ? true : (bool?)null,
                });
            }
            else
            {
                WriteText(console.Out);
            }
            End.WriteUnfinished(console, Reason, Invariant($"{Tally.Rows:N0} of {Total:N0} rows"), "devices claimed already are reported as already-claimed.");
        }

        private void WriteText(TextWriter output)
        {
            output.WriteLine(Invariant($"{Tally.Claimed:N0} claimed, {Tally.AlreadyClaimed:N0} already claimed by you, {Tally.Failed:N0} failed ({Tally.Rows:N0} of {Total:N0} rows in {Settings.File.Name})."));
            if (Settings.Report is { } report)
            {
                output.WriteLine($"Report: {report.FullName}");
                return;
            }
            if (Tally.FirstFailures.Count > 0)
            {
                output.WriteLine(Tally.Failed > Tally.FirstFailures.Count ? $"First {Tally.FirstFailures.Count} failures (--report FILE.csv lists every row):" : "Failures:");
                Table.Write(output, ["line", "dev_eui", "error"],
                    Tally.FirstFailures.Select(f => (IReadOnlyList<string?>)[f.Line.ToString(CultureInfo.InvariantCulture), f.DevEui, f.Error]));
            }
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}

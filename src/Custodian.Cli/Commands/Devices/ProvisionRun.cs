using System.Globalization;
using System.Text;
using Custodian.Cli.Api;
using Custodian.Cli.Batches;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// Provisions rows in batches (<see cref="OrderedBatches"/>) and writes, in input order, what a maker takes away:
/// the manifest, the labels and their sheet, the report; then prints the summary. Shared by
/// <c>devices provision</c> (generated rows) and <c>devices import</c> (a file's rows).
/// </summary>
internal static class ProvisionRun
{
    public sealed record Outputs(FileInfo? Manifest, DirectoryInfo? Labels, FileInfo? Report);

    public sealed record Settings(int BatchSize, int Parallel, bool Json);

    /// <summary>
    /// What to send. <paramref name="Carried"/> are devices a manifest from an earlier run lists already: they go into
    /// the new manifest and sheet first. <paramref name="BeforeSending"/> sees each batch before it leaves (the journal).
    /// </summary>
    public sealed record Work(string Title, IEnumerable<DeviceRow> Rows, long Total, IReadOnlyList<ManifestRow> Carried, Action<DeviceRow[]>? BeforeSending = null);

    /// <summary>Runs the work; returns how it ended (see <see cref="Summary.ExitCode"/>).</summary>
    public static async Task<(int ExitCode, BatchRunEnd End)> RunAsync(
        CliConsole console, CustodianClient client, Work work, Outputs outputs, Settings settings, CancellationToken cancellationToken)
    {
        ManifestWriter? manifest = null;
        LabelFiles? labels = null;
        ProvisionTally tally;
        try
        {
            manifest = outputs.Manifest is null ? null : ManifestWriter.Create(outputs.Manifest);
            labels = outputs.Labels is null ? null : new LabelFiles(outputs.Labels, work.Title);
            tally = new ProvisionTally(outputs.Report is null ? null : new StreamWriter(outputs.Report.FullName, false, new UTF8Encoding(false), 64 * 1024));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            manifest?.Dispose();
            labels?.Dispose();
            return (console.Stop($"Cannot write the outputs: {e.Message}"), BatchRunEnd.Stopped);
        }
        using (manifest)
        using (labels)
        using (tally)
        {
            Carry(work.Carried, manifest, labels);
            tally.WriteHeader();
            var progress = new ProgressBar(console, "Provisioning", "devices", work.Total);
            (BatchRunEnd End, string? Reason) result;
            try
            {
                result = await OrderedBatches.RunAsync(
                    Batches(work, settings.BatchSize),
                    settings.Parallel,
                    async (batch, token) =>
                    {
                        await batch.SendAsync(client, token);
                        DrawLabels(batch, labels);
                        return batch;
                    },
                    batch =>
                    {
                        Record(batch, tally, manifest, labels);
                        progress.Advance(batch.Rows.Length);
                        return batch.StopReason;
                    },
                    cancellationToken);
            }
            catch (Exception e) when (e is ClaimFileException or IOException or UnauthorizedAccessException)
            {
                result = (BatchRunEnd.Stopped, e.Message);
            }
            progress.Complete();
            // Every device in the manifest is provisioned, whether the run finished or not: it is always put in place.
            manifest?.Commit();
            var summary = new Summary(work, outputs, settings, tally, manifest?.Rows, labels?.Count, result.End, result.Reason);
            summary.Write(console);
            return (summary.ExitCode, result.End);
        }
    }

    private static IEnumerable<ProvisionBatch> Batches(Work work, int batchSize) =>
        work.Rows.Chunk(batchSize).Select(rows =>
        {
            work.BeforeSending?.Invoke(rows);
            return new ProvisionBatch(rows);
        });

    private static void Carry(IReadOnlyList<ManifestRow> carried, ManifestWriter? manifest, LabelFiles? labels)
    {
        if (labels is not null)
        {
            Parallel.ForEach(carried, labels.DrawIfMissing);
        }
        foreach (var device in carried)
        {
            manifest?.Write(device);
            labels?.AddToSheet(device);
        }
    }

    /// <summary>Drawn in the batch's own task, so the labels of several batches are drawn at once.</summary>
    private static void DrawLabels(ProvisionBatch batch, LabelFiles? labels)
    {
        if (labels is null)
        {
            return;
        }
        foreach (var outcome in batch.Outcomes)
        {
            if (outcome.Device is { } device)
            {
                labels.Draw(device);
            }
        }
    }

    private static void Record(ProvisionBatch batch, ProvisionTally tally, ManifestWriter? manifest, LabelFiles? labels)
    {
        for (var i = 0; i < batch.Rows.Length; i++)
        {
            var outcome = batch.Outcomes[i];
            tally.Add(batch.Rows[i], outcome);
            if (outcome.Device is { } device)
            {
                manifest?.Write(device);
                labels?.AddToSheet(device);
            }
        }
        tally.Flush();
    }

    /// <summary>What the run did, for people (stdout, and why it stopped on stderr) or scripts (one JSON object).</summary>
    private sealed record Summary(
        Work Work, Outputs Outputs, Settings Settings, ProvisionTally Tally, long? ManifestRows, long? LabelCount, BatchRunEnd End, string? Reason)
    {
        public int ExitCode => End.ExitCode(Tally.Failed);

        public void Write(CliConsole console)
        {
            if (Settings.Json)
            {
                CliJson.Write(console.Out, new
                {
                    devices = Work.Total,
                    done = Tally.Rows,
                    created = Tally.Created,
                    alreadyProvisioned = Tally.AlreadyProvisioned,
                    failed = Tally.Failed,
                    carried = Work.Carried.Count,
                    manifest = Outputs.Manifest?.FullName,
                    manifestRows = ManifestRows,
                    labels = Outputs.Labels?.FullName,
                    report = Outputs.Report?.FullName,
                    failures = Tally.FirstFailures.Select(f => new { line = f.Line > 0 ? f.Line : (int?)null, devEui = f.DevEui.Length > 0 ? f.DevEui : null, error = f.Error }),
                    stopped = End == BatchRunEnd.Stopped ? Reason : null,
                    interrupted = End == BatchRunEnd.Interrupted ? true : (bool?)null,
                });
            }
            else
            {
                WriteText(console.Out);
            }
            End.WriteUnfinished(console, Reason, Invariant($"{Tally.Rows:N0} of {Work.Total:N0} devices"), "devices made already are recognised, not made twice.");
        }

        private void WriteText(TextWriter output)
        {
            var carried = Work.Carried.Count > 0 ? Invariant($", {Work.Carried.Count:N0} in the manifest already") : "";
            output.WriteLine(Invariant($"{Tally.Created:N0} created, {Tally.AlreadyProvisioned:N0} already provisioned, {Tally.Failed:N0} failed ({Tally.Rows:N0} of {Work.Total:N0} devices{carried})."));
            if (Outputs.Manifest is { } manifest)
            {
                output.WriteLine(Invariant($"Manifest: {manifest.FullName} ({ManifestRows:N0} devices). It holds root keys: keep it safe."));
            }
            if (Outputs.Labels is { } labels)
            {
                output.WriteLine(Invariant($"Labels: {labels.FullName} ({LabelCount:N0} devices, PNG and SVG; print {LabelFiles.SheetName})"));
            }
            if (Outputs.Report is { } report)
            {
                output.WriteLine($"Report: {report.FullName}");
            }
            if (Tally.FirstFailures.Count > 0)
            {
                output.WriteLine(Tally.Failed > Tally.FirstFailures.Count ? $"First {Tally.FirstFailures.Count} failures (--report FILE.csv lists every row):" : "Failures:");
                Table.Write(output, ["line", "dev_eui", "error"],
                    Tally.FirstFailures.Select(f => (IReadOnlyList<string?>)[f.Line > 0 ? f.Line.ToString(CultureInfo.InvariantCulture) : "", f.DevEui, f.Error]));
            }
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}

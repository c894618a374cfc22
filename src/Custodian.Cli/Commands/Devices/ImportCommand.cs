using System.CommandLine;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// <c>custodian devices import FILE</c>: a maker who made the root keys itself provisions the devices of a CSV or JSON
/// file (see <see cref="DeviceFile"/>). Claim codes the file lacks are made by the server. Rerunning the same file after
/// an interruption finishes it: devices made before are recognised as already provisioned.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The devices: CSV or JSON (docs/cli.md lists the columns)." };
        var manifest = new Option<FileInfo>("--out", "-o") { Description = "Write a manifest of the provisioned devices (.csv or .json) with their claim codes and QR codes." };
        var labels = new Option<DirectoryInfo>("--labels") { Description = "A folder for the labels: <DEVEUI>.png and .svg per device, and labels.html, a printable A4 sheet." };
        var report = new Option<FileInfo>("--report") { Description = "Write what became of each row to this CSV (dev_eui,status,error)." };
        var batchSize = DeviceOptions.BatchSize();
        var parallel = DeviceOptions.Parallel();
        var command = new Command("import", "Provision the devices of a CSV or JSON file whose root keys you made.") { file, manifest, labels, report, batchSize, parallel };
        command.Validators.Add(result =>
        {
            if (result.GetValue(manifest) is { } out_ && !ManifestWriter.HasKnownExtension(out_))
            {
                result.AddError($"--out must end in .csv or .json, not '{out_.Extension}'.");
            }
        });
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!.FullName;
            long total;
            try
            {
                // A quick pass first: the progress bar gets its total, and a file broken halfway stops before anything is sent.
                total = DeviceFile.Count(path);
            }
            catch (ClaimFileException e)
            {
                return console.Stop(e.Message);
            }
            catch (IOException e)
            {
                return console.Stop($"Cannot read {path}: {e.Message}");
            }
            var work = new ProvisionRun.Work(Path.GetFileName(path), DeviceFile.Read(path).Select(entry => entry.Row), total, []);
            var outputs = new ProvisionRun.Outputs(parseResult.GetValue(manifest), parseResult.GetValue(labels), parseResult.GetValue(report));
            var settings = new ProvisionRun.Settings(parseResult.GetValue(batchSize), parseResult.GetValue(parallel), parseResult.GetValue(options.Json));
            return (await ProvisionRun.RunAsync(console, client, work, outputs, settings, cancellationToken)).ExitCode;
        });
        return command;
    }
}

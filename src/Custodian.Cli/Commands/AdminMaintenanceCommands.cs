using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian admin kek rewrap</c> and <c>custodian admin backup --out FILE</c>.</summary>
internal static class AdminMaintenanceCommands
{
    public static Command CreateKek(CliConsole console, CliOptions options) =>
        new("kek", "The server's key-encryption keys.")
        {
            Rewrap(console, options),
        };

    public static Command CreateBackup(CliConsole console, CliOptions options)
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the copy (a SQLite database; created owner-only, never overwritten).", Required = true };
        var command = new Command(
            "backup",
            "Download a consistent copy of the server's SQLite store, taken while it runs (the KEK is not in it: back it up apart). "
            + "A PostgreSQL server is backed up with pg_dump or pg_basebackup instead.")
        { output };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var file = parseResult.GetValue(output)!;
            if (file.Exists)
            {
                return console.Stop($"{file.FullName} exists: choose a new file.");
            }
            long bytes;
            var complete = false;
            try
            {
                await using (var stream = SecretFile.Create(file.FullName, FileMode.CreateNew))
                {
                    bytes = await client.DownloadAsync("api/v1/backup", stream, cancellationToken);
                }
                complete = true;
            }
            finally
            {
                if (!complete)
                {
                    File.Delete(file.FullName);
                }
            }
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, new { file = file.FullName, bytes });
            }
            else
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote a backup of {bytes} bytes to {file.FullName}."));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rewrap(CliConsole console, CliOptions options)
    {
        var command = new Command(
            "rewrap",
            "Re-seal every stored secret under the current KEK (joins go on meanwhile). Afterwards the retired labels may leave the key file.");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var report = (await client.PostAsync("api/v1/kek/rewrap", new { }, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, report);
                return ExitCodes.Success;
            }
            console.Out.WriteLine($"Current KEK label: {report.GetProperty("currentLabel").GetString()}");
            foreach (var label in report.GetProperty("labels").EnumerateObject())
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label.Name}: {Count(label.Value, "sealed")} sealed, {Count(label.Value, "rewrapped")} re-sealed, {Count(label.Value, "failed")} failed"));
            }
            var retired = report.GetProperty("retiredLabels").EnumerateArray().Select(l => l.GetString()).ToList();
            console.Out.WriteLine(retired.Count == 0
                ? "No label retired."
                : $"Retired: {string.Join(", ", retired)} (may now be removed from the key file).");
            return Count(report, "failed") == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static long Count(JsonElement element, string name) => element.GetProperty(name).GetInt64();
}

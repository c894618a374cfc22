using System.CommandLine;
using System.CommandLine.Parsing;
using Custodian.Cli.Api;
using Custodian.Cli.Commands;
using Custodian.Cli.Commands.Claims;
using Custodian.Cli.Output;

namespace Custodian.Cli;

/// <summary>The <c>custodian</c> command tree, runnable in-process with any writers (tests capture them).</summary>
internal static class CustodianCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, new CliConsole(stdout, stderr)).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var (stdout, stderr) = (console.Out, console.Error);
        var options = new CliOptions();
        var root = new RootCommand("Custodian, a LoRaWAN Join Server for device claiming.")
        {
            QrCommands.Create(console),
            ClaimStatusCommands.CreateStatus(console, options),
            ClaimStatusCommands.CreateUnclaim(console, options),
            ClaimCommand.Create(console, options),
            DevicesCommands.Create(console, options),
            AdminCommands.Create(console, options),
        };
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }
        var parseResult = root.Parse(args);
        // System.CommandLine answers parse errors with exit code 1; we keep 1 for bad input
        // and give usage errors their conventional 2. Help clears parse errors and runs normally.
        if (parseResult.Errors.Count > 0 && parseResult.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parseResult.Errors)
            {
                stderr.WriteLine(error.Message);
            }
            stderr.WriteLine($"Try '{CommandPath(parseResult.CommandResult)} --help'.");
            return ExitCodes.Usage;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }

    /// <summary>"custodian qr parse" for the command the user got wrong (the root is named after the host process).</summary>
    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (var current = command; current.Parent is CommandResult parent; current = parent)
        {
            names.Insert(0, current.Command.Name);
        }
        return string.Join(' ', names.Prepend("custodian"));
    }
}

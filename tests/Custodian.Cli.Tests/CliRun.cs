using System.Diagnostics;
using System.Text;
using Custodian.Cli.Output;
using Custodian.Server.Tests;

namespace Custodian.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = CustodianCli.Run(args, stdout, stderr);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the CLI in-process against <paramref name="server"/> with <paramref name="apiKey"/>
    /// (as <c>--server</c> and <c>--api-key</c>) and no environment variables.
    /// </summary>
    public static Task<CliRun> AgainstAsync(TestServer server, string apiKey, params string[] args) =>
        RunAsync(["--server", server.BaseAddress.ToString(), "--api-key", apiKey, .. args]);

    public static async Task<CliRun> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = new CliConsole(stdout, stderr) { Environment = name => environment?.GetValueOrDefault(name) };
        var exitCode = await CustodianCli.RunAsync(args, console, TestContext.Current.CancellationToken);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the built <c>custodian</c> program as its own process (<c>dotnet custodian.dll</c>), as a user
    /// would: real stdout, stderr, environment and exit code.
    /// </summary>
    public static Task<CliRun> ProcessAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeLimit = null) =>
        ProgramAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "custodian.dll"), .. args], environment, timeLimit);

    /// <summary>Runs <paramref name="program"/> without the CUSTODIAN_* variables of this process, plus <paramref name="environment"/>.</summary>
    public static async Task<CliRun> ProgramAsync(
        string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeLimit = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("CUSTODIAN_SERVER");
        start.Environment.Remove("CUSTODIAN_API_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var aborted = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(aborted);
        var error = process.StandardError.ReadToEndAsync(aborted);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        limit.CancelAfter(timeLimit ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} did not finish in time; stderr so far: {await error}");
        }
        return new CliRun(process.ExitCode, await output, await error);
    }
}

using System.Diagnostics;
using System.Text;

namespace Custodian.Testing;

/// <summary>
/// Runs a command-line program that ./test.sh installs from Debian, with a time limit. A missing
/// program fails the test (never skips it), naming the package that provides it.
/// </summary>
internal static class ExternalTool
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(30);

    public static async Task<ToolRun> RunAsync(string program, string debianPackage, params string[] arguments)
    {
        var path = Find(program);
        if (path is null)
        {
            Assert.Fail(
                $"{program} is not on PATH. ./test.sh installs it (Debian package {debianPackage}); "
                + $"to run these tests without it, first: apt-get install {debianPackage}");
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var testAborted = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(testAborted);
        var error = process.StandardError.ReadToEndAsync(testAborted);
        using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(testAborted);
        timeLimit.CancelAfter(TimeLimit);
        try
        {
            await process.WaitForExitAsync(timeLimit.Token);
        }
        catch (OperationCanceledException) when (!testAborted.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {TimeLimit.TotalSeconds} s");
        }
        return new ToolRun(process.ExitCode, await output, await error);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>What an external program printed, and its exit code.</summary>
internal sealed record ToolRun(int ExitCode, string Out, string Error);

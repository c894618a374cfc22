namespace Custodian.Cli.Output;

/// <summary>The writers a command prints to, passed in so tests can run commands in-process.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Reports a failure on stderr and gives the exit code for it.</summary>
    public int Fail(string message)
    {
        Error.WriteLine(message);
        return ExitCodes.Failure;
    }
}

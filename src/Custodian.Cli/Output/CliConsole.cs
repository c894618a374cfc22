namespace Custodian.Cli.Output;

/// <summary>
/// What a command prints to and reads from, passed in so tests can run commands in-process:
/// results on <see cref="Out"/>; messages and progress on <see cref="Error"/>.
/// </summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>Reads an environment variable (tests pass their own, so parallel runs do not share one).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>True when stderr is a terminal: progress bars redraw in place there, and print a line now and then elsewhere.</summary>
    public bool ErrorIsTerminal { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reports a failure on stderr and gives the exit code for it.</summary>
    public int Fail(string message)
    {
        Error.WriteLine(message);
        return ExitCodes.Failure;
    }

    /// <summary>Reports a usage or connection error on stderr and gives the exit code for it.</summary>
    public int Stop(string message)
    {
        Error.WriteLine(message);
        return ExitCodes.Usage;
    }
}

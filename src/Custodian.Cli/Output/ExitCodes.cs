namespace Custodian.Cli.Output;

/// <summary>What scripts can rely on: 0 all done, 1 some rows or the request failed, 2 usage or connection errors, 130 interrupted.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran, but the server refused it or some rows of a file failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong, or the server could not be reached or refused the API key.</summary>
    public const int Usage = 2;

    /// <summary>The conventional exit code of a program stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}

namespace Custodian.Cli.Output;

/// <summary>What scripts can rely on: 0 done, 1 the input or the work failed, 2 the command line was wrong.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

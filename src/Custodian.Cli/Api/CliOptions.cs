using System.CommandLine;

namespace Custodian.Cli.Api;

/// <summary>The options every command understands, defined once on the root and read by the commands that talk to a server.</summary>
internal sealed class CliOptions
{
    public const string ServerVariable = "CUSTODIAN_SERVER";
    public const string ApiKeyVariable = "CUSTODIAN_API_KEY";
    public static readonly Uri DefaultServer = new("http://127.0.0.1:8080");

    public Option<string> Server { get; } = new("--server")
    {
        Description = $"The Custodian server's base URL (default: ${ServerVariable}, else {DefaultServer}).",
        Recursive = true,
    };

    public Option<string> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key to send (default: ${ApiKeyVariable}).",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON for scripts instead of tables and sentences.",
        Recursive = true,
    };

    public Option<int> Retries { get; } = CreateRetries();

    public IEnumerable<Option> All => [Server, ApiKey, Json, Retries];

    private static Option<int> CreateRetries()
    {
        var retries = new Option<int>("--retries")
        {
            Description = "How often to resend a request after a connection failure, a timeout or a 502/503/504 (waits grow from 0.5 s to 30 s). Rate-limit answers (429) are always waited out.",
            DefaultValueFactory = _ => 5,
            Recursive = true,
        };
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 100)
            {
                result.AddError("--retries must be between 0 and 100.");
            }
        });
        return retries;
    }
}

using System.CommandLine;
using System.Net;
using Custodian.Cli.Output;

namespace Custodian.Cli.Api;

/// <summary>
/// Runs a command that talks to a server: resolves <c>--server</c> and <c>--api-key</c> (or their
/// environment variables), and turns what can go wrong into messages and exit codes — a refusal is 1,
/// a missing key, a rejected key or an unreachable server is 2.
/// </summary>
internal static class ServerCommand
{
    public delegate Task<int> Body(CustodianClient client, CancellationToken cancellationToken);

    public static void SetAction(Command command, CliConsole console, CliOptions options, Func<ParseResult, Body> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, console, options, body(parseResult), cancellationToken));

    public static async Task<int> RunAsync(ParseResult parseResult, CliConsole console, CliOptions options, Body body, CancellationToken cancellationToken)
    {
        if (!TryServer(parseResult, console, options, out var server, out var error))
        {
            return console.Stop(error);
        }
        var apiKey = parseResult.GetValue(options.ApiKey) ?? console.Environment(CliOptions.ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            return console.Stop($"No API key: pass --api-key KEY or set {CliOptions.ApiKeyVariable}.");
        }
        using var client = new CustodianClient(server, apiKey.Trim(), RetryPolicy.WithRetries(parseResult.GetValue(options.Retries)), console.Time);
        try
        {
            return await body(client, cancellationToken);
        }
        catch (ApiProblemException e) when (e.Problem.Status is HttpStatusCode.Unauthorized)
        {
            return console.Stop($"The server at {server} refused the API key: {e.Problem}");
        }
        catch (ApiProblemException e)
        {
            return console.Fail(e.Problem.ToString());
        }
        catch (ServerUnreachableException e)
        {
            return console.Stop(e.Message);
        }
    }

    private static bool TryServer(ParseResult parseResult, CliConsole console, CliOptions options, out Uri server, out string error)
    {
        var text = parseResult.GetValue(options.Server) ?? console.Environment(CliOptions.ServerVariable);
        server = CliOptions.DefaultServer;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
        {
            // Without a trailing slash, relative paths would replace the URL's last segment (a path prefix behind a proxy).
            server = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
            return true;
        }
        error = $"--server must be an http:// or https:// URL, not '{text}'.";
        return false;
    }
}

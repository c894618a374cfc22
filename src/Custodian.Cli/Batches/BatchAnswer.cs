using System.Net;
using System.Text.Json;
using Custodian.Cli.Api;

namespace Custodian.Cli.Batches;

/// <summary>
/// One batch request of a bulk run: the server's answer, or why every row of the batch failed — and, when the run
/// cannot go on (the server is gone, the key is refused), the reason to stop it.
/// </summary>
internal readonly record struct BatchAnswer(JsonElement? Body, string? Failure, string? StopReason)
{
    public static async Task<BatchAnswer> PostAsync(CustodianClient client, string path, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            return new BatchAnswer(await client.SendAsync(HttpMethod.Post, path, body, cancellationToken), null, null);
        }
        catch (Exception e) when (Refusal(client, e) is ({ } failure, var stop))
        {
            return new BatchAnswer(null, failure, stop);
        }
    }

    /// <summary>
    /// What a failed request means for a run: a refused key stops it, a lost server stops it, any other refusal
    /// fails only the rows the request was for. Null for anything else (the user's cancellation, a bug).
    /// </summary>
    public static (string Failure, string? StopReason)? Refusal(CustodianClient client, Exception e) => e switch
    {
        ApiProblemException { Problem.Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } refused =>
            (refused.Problem.ToString(), $"The server at {client.Server} refused the API key: {refused.Problem}"),
        ApiProblemException refused => (refused.Problem.ToString(), null),
        ServerUnreachableException lost => (lost.Message, lost.Message),
        _ => null,
    };
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Custodian.Cli.Api;

/// <summary>
/// The Custodian REST API as the CLI uses it: JSON in and out, the API key as a bearer token,
/// transient failures retried (see <see cref="RetryPolicy"/>), refusals raised as <see cref="ApiProblemException"/>
/// and an unreachable server as <see cref="ServerUnreachableException"/>.
/// </summary>
internal sealed class CustodianClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly HttpClient _http;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;

    public CustodianClient(Uri server, string apiKey, RetryPolicy retry, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = server;
        // A 10,000-item batch on a busy server can take a while; the default 100 s is kept per attempt, retries add to it.
        _http.Timeout = TimeSpan.FromSeconds(120);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("custodian-cli", ThisAssembly.Version));
        _retry = retry;
        _time = time ?? TimeProvider.System;
        Server = server;
    }

    public Uri Server { get; }

    /// <summary>How many requests were sent again after a transient failure (progress output shows it).</summary>
    public int Retries => _retries;

    private int _retries;

    public Task<JsonElement?> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<JsonElement?> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, body: null, cancellationToken);

    public Task<JsonElement?> PostAsync<T>(string path, T body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.SerializeToUtf8Bytes(body, CliJson.Options), cancellationToken);

    /// <summary>
    /// Sends <paramref name="body"/> (UTF-8 JSON, or none) and returns the answer's JSON (null when it has none).
    /// </summary>
    public async Task<JsonElement?> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var rateLimitedWaits = 0;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan delay;
            try
            {
                // Relative to the server URL, which may carry a path prefix (behind a proxy): never from the host root.
                using var request = new HttpRequestMessage(method, path.TrimStart('/'));
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } };
                }
                using var response = await _http.SendAsync(request, cancellationToken);
                var json = await ReadJsonAsync(response, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return json;
                }
                var problem = ApiProblem.From(response.StatusCode, json, RetryAfterOf(response));
                var rateLimited = response.StatusCode == HttpStatusCode.TooManyRequests;
                var mayRetry = rateLimited ? ++rateLimitedWaits <= _retry.MaxRateLimitedWaits : attempt < _retry.MaxAttempts;
                if (!RetryPolicy.IsTransient(response.StatusCode, problem.Code) || !mayRetry)
                {
                    throw new ApiProblemException(problem);
                }
                if (rateLimited)
                {
                    attempt--;
                }
                delay = _retry.DelayBefore(attempt - 1, problem.RetryAfter);
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                if (attempt >= _retry.MaxAttempts)
                {
                    throw new ServerUnreachableException(
                        string.Create(CultureInfo.InvariantCulture, $"Cannot reach {Server} after {attempt} attempts: {Describe(e)}"), e);
                }
                delay = _retry.DelayBefore(attempt - 1, retryAfter: null);
            }
            Interlocked.Increment(ref _retries);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Streams a GET's body into <paramref name="destination"/> (a backup: too large to hold as JSON); returns the bytes
    /// written. A refusal throws <see cref="ApiProblemException"/>; no retry, since part of the body may be written.
    /// </summary>
    public async Task<long> DownloadAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
        {
            throw new ServerUnreachableException($"Cannot reach {Server}: {Describe(e)}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiProblemException(ApiProblem.From(response.StatusCode, await ReadJsonAsync(response, cancellationToken), RetryAfterOf(response)));
            }
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var start = destination.Position;
            await body.CopyToAsync(destination, cancellationToken);
            return destination.Position - start;
        }
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length == 0)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException) when (!response.IsSuccessStatusCode)
        {
            // A proxy's HTML error page: the status line says enough.
            return null;
        }
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    /// <summary>Refused connections, resets and timeouts of one attempt; never the user's own cancellation.</summary>
    private static bool IsConnectionFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        TaskCanceledException => "the request timed out",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };

    public void Dispose() => _http.Dispose();
}

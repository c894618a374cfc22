using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Server.Configuration;
using Custodian.Server.Logging;

namespace Custodian.Server.Claims.Routing;

/// <summary>
/// A remote Join Server's v2 claim API over HTTP(S), authenticated by a bearer token and/or a client certificate
/// (with an optional private CA for its server certificate). Its answers become our errors:
/// 403 "claim failed with given owner token" → claim_refused, other 403 → device_claimed (claim) or
/// device_not_found; 404 → claim_refused (claim) or device_not_found; 429 → rate_limited (claim_locked when a
/// Custodian says so) with Retry-After; 5xx, timeouts and connection errors → join_server_unavailable naming
/// the server (never its token). A Custodian's <c>code</c> extension is kept when it is one a peer may pass on.
/// </summary>
internal sealed class JoinServerV2Client : IJoinServerClient, IDisposable
{
    public const string WrongTokenMessage = "claim failed with given owner token";
    private const int MaxRemoteMessage = 200;
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(60);

    // Errors a remote Custodian names that mean the same here (anything else falls back to the status code).
    private static readonly Dictionary<string, CustodianError> PassedOn = new[]
    {
        CustodianErrors.ClaimRefused, CustodianErrors.ClaimCodeNotValidNow, CustodianErrors.DeviceClaimed, CustodianErrors.ClaimLocked, CustodianErrors.RateLimited,
        CustodianErrors.DeviceNotFound, CustodianErrors.NetworkNotFound, CustodianErrors.ApplicationServerNotFound, CustodianErrors.InvalidField,
    }.ToDictionary(e => e.Code, StringComparer.Ordinal);

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    /// <summary>The largest answer read from a remote Join Server.</summary>
    public const int MaxAnswerBytes = 64 * 1024;

    public JoinServerV2Client(string name, RemoteJoinServerOptions options, ILogger logger)
        : this(name, options, logger, Handler(options))
    {
    }

    /// <summary>Over <paramref name="handler"/> (tests answer as a remote Join Server would).</summary>
    internal JoinServerV2Client(string name, RemoteJoinServerOptions options, ILogger logger, HttpMessageHandler handler)
    {
        Name = name;
        _timeout = options.Timeout;
        _logger = logger;
        var url = options.Url!.EndsWith('/') ? options.Url : options.Url + "/";
        // A v2 answer is a small JSON object: a bigger one is refused rather than buffered (the default allows 2 GB).
        _http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = MaxAnswerBytes };
        if (options.Token is { } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static SocketsHttpHandler Handler(RemoteJoinServerOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
            // A redirect would resend the claim code (the body) to an address nobody configured.
            AllowAutoRedirect = false,
        };
        if (options.CertificateFile is not null)
        {
            var certificate = ClaimRoutingValidator.LoadCertificate(options);
            handler.SslOptions.ClientCertificates = [certificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        if (options.CaFile is { } caFile)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(ClaimRoutingValidator.LoadCa(caFile));
            handler.SslOptions.CertificateChainPolicy = policy;
        }
        return handler;
    }

    public string Name { get; }

    public async Task<RemoteClaim> ClaimAsync(ClaimTarget target, CancellationToken cancellationToken)
    {
        var body = new V2ClaimRequest(target.Code.ExportSecret(), target.Home.NetId.ToString(), target.Home.NsId, target.Home.AsId, target.Lock);
        var (response, failure) = await SendAsync("claim", target.DevEui, HttpMethod.Put, Path(target.DevEui), JsonContent.Create(body), cancellationToken);
        using (response)
        {
            if (response is null)
            {
                return RemoteClaim.Failed(failure!);
            }
            return response.IsSuccessStatusCode
                ? new RemoteClaim(response.StatusCode != HttpStatusCode.OK, null)
                : RemoteClaim.Failed(await FailureAsync(response, Operation.Claim, target.DevEui, target.JoinEui, cancellationToken));
        }
    }

    public async Task<RemoteClaimStatus> GetStatusAsync(DevEui devEui, CancellationToken cancellationToken)
    {
        var (response, failure) = await SendAsync("status", devEui, HttpMethod.Get, Path(devEui), null, cancellationToken);
        using (response)
        {
            if (response is null)
            {
                return RemoteClaimStatus.Failed(failure!);
            }
            if (!response.IsSuccessStatusCode)
            {
                return RemoteClaimStatus.Failed(await FailureAsync(response, Operation.Status, devEui, null, cancellationToken));
            }
            var status = await ReadAsync<V2ClaimStatus>(response, cancellationToken);
            if (status?.HomeNetId is not { } text || !NetId.TryParse(text, out var netId, out _))
            {
                return RemoteClaimStatus.Failed(Unavailable("status", devEui, "answered the claim status without a readable homeNetID"));
            }
            return new RemoteClaimStatus(netId, string.IsNullOrEmpty(status.HomeNsId) ? null : status.HomeNsId.ToUpperInvariant(), status.Locked, null);
        }
    }

    public async Task<RemoteUnclaim> UnclaimAsync(DevEui devEui, bool rotateCode, CancellationToken cancellationToken)
    {
        var path = Path(devEui) + (rotateCode ? "?regenerateOwnerToken=true" : "");
        var (response, failure) = await SendAsync("unclaim", devEui, HttpMethod.Delete, path, null, cancellationToken);
        using (response)
        {
            if (response is null)
            {
                return new RemoteUnclaim(null, failure);
            }
            if (!response.IsSuccessStatusCode)
            {
                return new RemoteUnclaim(null, await FailureAsync(response, Operation.Unclaim, devEui, null, cancellationToken));
            }
            // Only a Custodian rotates (an extension); a plain TTJS answers 204 and keeps the code.
            var token = rotateCode && response.StatusCode == HttpStatusCode.OK ? (await ReadAsync<V2OwnerToken>(response, cancellationToken))?.OwnerToken : null;
            return new RemoteUnclaim(token is not null && ClaimCode.TryParse(token, out var code, out _) ? code : null, null);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Path(DevEui devEui) => $"api/v2/devices/{devEui}/claim";

    private async Task<(HttpResponseMessage? Response, CustodianFailure? Failure)> SendAsync(
        string operation, DevEui devEui, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            ClaimRoutingLog.Forwarded(_logger, operation, devEui.ToString(), Name, (int)response.StatusCode,
                response.IsSuccessStatusCode ? "ok" : "refused", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if ((int)response.StatusCode >= 500)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                return (null, Unavailable(operation, devEui, $"answered HTTP {status}"));
            }
            return (response, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Unavailable(operation, devEui, $"did not answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s"));
        }
        catch (HttpRequestException exception)
        {
            return (null, Unavailable(operation, devEui, $"could not be reached ({Describe(exception)})"));
        }
    }

    private async Task<CustodianFailure> FailureAsync(HttpResponseMessage response, Operation operation, DevEui devEui, JoinEui? joinEui, CancellationToken cancellationToken)
    {
        var error = await ReadAsync<V2Error>(response, cancellationToken);
        var message = Clean(error?.Message);
        var status = response.StatusCode;
        var retryAfter = RetryAfter(response);
        if (error?.Code is { } code && PassedOn.TryGetValue(code, out var named))
        {
            return named switch
            {
                _ when named == CustodianErrors.ClaimRefused => Refused(devEui, joinEui),
                _ when named == CustodianErrors.DeviceNotFound => NotFound(devEui),
                _ when named.Category == ErrorCategory.ResourceExhausted => named.With($"Join Server '{Name}': {message ?? named.Title}") with { RetryAfter = retryAfter },
                _ => named.With($"Join Server '{Name}': {message ?? named.Title}"),
            };
        }
        return status switch
        {
            HttpStatusCode.Forbidden when operation == Operation.Claim => message == WrongTokenMessage
                ? Refused(devEui, joinEui)
                : CustodianErrors.DeviceClaimed.With($"Device {devEui} is claimed by another client of Join Server '{Name}'{(message is null ? "" : $" ({message})")}."),
            HttpStatusCode.Forbidden or HttpStatusCode.NotFound when operation != Operation.Claim => NotFound(devEui),
            HttpStatusCode.NotFound => Refused(devEui, joinEui),
            HttpStatusCode.TooManyRequests => CustodianErrors.RateLimited.With($"Join Server '{Name}' asks to retry later{(message is null ? "" : $" ({message})")}.") with { RetryAfter = retryAfter },
            HttpStatusCode.BadRequest => CustodianErrors.InvalidField.With($"Join Server '{Name}' refused the request: {message ?? "no reason given"}."),
            _ when (int)status is >= 300 and < 400 => Unavailable(OperationName(operation), devEui,
                $"answered with a redirect (HTTP {(int)status}), which is not followed; give its final address as Url"),
            HttpStatusCode.Unauthorized => Unavailable(OperationName(operation), devEui, "refused our credentials (HTTP 401); check its Token or CertificateFile"),
            _ => Unavailable(OperationName(operation), devEui, $"answered HTTP {(int)status} unexpectedly"),
        };

        static string OperationName(Operation operation) => operation.ToString().ToLowerInvariant();
    }

    private CustodianFailure Unavailable(string operation, DevEui devEui, string reason)
    {
        ClaimRoutingLog.JoinServerUnavailable(_logger, Name, operation, devEui.ToString(), reason);
        return CustodianErrors.JoinServerUnavailable.With($"Join Server '{Name}' {reason}.");
    }

    // The same words as a local refusal: nobody learns whether the device exists there.
    private static CustodianFailure Refused(DevEui devEui, JoinEui? joinEui) =>
        CustodianErrors.ClaimRefused.With(joinEui is { } eui
            ? $"No device {devEui} with JoinEUI {eui} accepts this claim code."
            : $"No device {devEui} accepts this claim code.");

    private CustodianFailure NotFound(DevEui devEui) => CustodianErrors.DeviceNotFound.With($"Join Server '{Name}' holds no claim of ours on device {devEui}.");

    private static TimeSpan RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1),
        _ => DefaultRetryAfter,
    };

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A remote's message as part of ours: one line, visible characters, bounded.</summary>
    private static string? Clean(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return null;
        }
        var text = new string([.. message.Where(c => !char.IsControl(c))]).Trim();
        return text.Length <= MaxRemoteMessage ? text : text[..MaxRemoteMessage] + "…";
    }

    private static string Describe(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "its name does not resolve",
        HttpRequestError.ConnectionError => "connection refused or reset",
        HttpRequestError.SecureConnectionError => "TLS handshake failed; check its certificate, CaFile and ours",
        HttpRequestError.ResponseEnded => "the connection closed before an answer",
        HttpRequestError.ConfigurationLimitExceeded => $"answered more than {MaxAnswerBytes / 1024} KB",
        _ => exception.HttpRequestError.ToString(),
    };

    private enum Operation
    {
        Claim,
        Status,
        Unclaim,
    }
}

/// <summary>The configured remote Join Servers (<c>Custodian:Claims:JoinServers</c>), one HTTP client each.</summary>
internal sealed class JoinServerClients : IJoinServerClients, IDisposable
{
    private readonly Dictionary<string, JoinServerV2Client> _clients = new(StringComparer.OrdinalIgnoreCase);

    public JoinServerClients(ClaimsOptions options, ILogger<JoinServerV2Client> logger)
    {
        foreach (var (name, server) in options.JoinServers)
        {
            _clients[name] = new JoinServerV2Client(name, server, logger);
        }
    }

    public IJoinServerClient? Find(string name) => _clients.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}

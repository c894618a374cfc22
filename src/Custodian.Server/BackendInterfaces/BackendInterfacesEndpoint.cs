using System.Buffers;
using System.IO.Pipelines;
using Custodian.BackendInterfaces;
using Custodian.Core.Joins;
using Custodian.Server.Auth;
using Custodian.Server.Logging;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// <c>POST /backend-interfaces</c>: reads the body (at most <see cref="MaxBodySize"/>), parses it,
/// authenticates the peer, asks the <see cref="JoinServer"/> and writes its answer. An unreadable body is
/// HTTP 400; everything else HTTP 200 with a Result; a failure inside is logged and answered with a
/// generic Result, never a 500. A request whose credential fails stores nothing: it is counted, logged at
/// most every few seconds, and spends one of its address's failures; an address that has spent them all is
/// answered HTTP 429 before its body is read.
/// </summary>
public sealed class BackendInterfacesEndpoint(
    JoinServer joinServer,
    PeerAuthenticator authenticator,
    AuthFailureLimiter authFailures,
    JoinMetrics metrics,
    TimeProvider time,
    ILogger<BackendInterfacesEndpoint> logger)
{
    /// <summary>A JoinReq is under 1 KiB; The Things Stack accepts 32 KiB.</summary>
    public const int MaxBodySize = 64 * 1024;
    private const string InternalFailure = "The Join Server could not answer this request; send it again later.";
    private readonly LogSampler _authFailureLog = new(time, TimeSpan.FromSeconds(10));

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var cancellationToken = context.RequestAborted;
        var address = ClientAddress.Of(context.Connection.RemoteIpAddress);
        if (authFailures.IsBlocked(address))
        {
            metrics.AuthFailed(JoinMetrics.AddressBlocked);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(authFailures.Window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return;
        }
        var parsed = await ReadAsync(context.Request.BodyReader, cancellationToken).ConfigureAwait(false);
        if (parsed is null || !parsed.IsSuccess && parsed.Error.Answer() is null)
        {
            logger.Unreadable(LogText.Safe(parsed?.Error?.Message ?? $"The body is larger than {MaxBodySize} bytes.", LogText.DefaultMaxLength * 4));
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var answer = parsed.IsSuccess
            ? await AnswerAsync(context, parsed.Message, cancellationToken).ConfigureAwait(false)
            : Malformed(parsed.Error);
        metrics.Record(answer.RequestType, answer.ResultCode, answer.Cause, time.GetElapsedTime(started));
        var senderId = parsed.Message?.SenderID ?? parsed.Error?.Header?.SenderID;
        if (answer.AuthenticationFailed)
        {
            AuthenticationFailed(answer, address, senderId);
        }
        else
        {
            Log(answer, senderId);
        }
        await WriteAsync(context.Response, answer.Message, cancellationToken).ConfigureAwait(false);
    }

    private async Task<BackendAnswer> AnswerAsync(HttpContext context, BackendInterfacesMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var peer = await authenticator.AuthenticateAsync(context, request.MessageType, cancellationToken).ConfigureAwait(false);
            return await joinServer.AnswerAsync(request, peer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var code = JoinResultCodes.ForInternal(request.MessageType, request.Version ?? BackendInterfacesVersion.V1_1);
            logger.Failed(exception, LogText.Safe(request.MessageType), LogText.Safe(request.SenderID), code.ToWireName());
            return BackendAnswer.Refusal(request, code, JoinErrors.Internal, InternalFailure, null);
        }
    }

    private static BackendAnswer Malformed(ParseError error)
    {
        var answer = error.Answer()!;
        var cause = error.Kind switch
        {
            ParseErrorKind.UnsupportedProtocolVersion => JoinErrors.InvalidProtocolVersion,
            ParseErrorKind.UnsupportedMessageType => JoinErrors.MessageTypeNotServed,
            _ => JoinErrors.MalformedMessage,
        };
        return new BackendAnswer(answer, error.Header!.MessageType, answer.Result.ResultCode, answer.Result.Description, null, cause);
    }

    /// <summary>The whole body, parsed; null when it is larger than allowed.</summary>
    private static async Task<ParseResult?> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBodySize)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var parsed = Parse(buffer);
                reader.AdvanceTo(buffer.End);
                return parsed;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ParseResult Parse(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return BackendInterfacesMessage.Parse(body.FirstSpan);
        }
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return BackendInterfacesMessage.Parse(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static async Task WriteAsync(HttpResponse response, BackendInterfacesMessage message, CancellationToken cancellationToken)
    {
        var json = message.ToUtf8Json();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counted always, spends one of the address's failures, and logged at most every few seconds.</summary>
    private void AuthenticationFailed(BackendAnswer answer, string address, string? senderId)
    {
        var cause = answer.Cause!.Code;
        authFailures.Failed(address);
        metrics.AuthFailed(cause);
        if (logger.IsEnabled(LogLevel.Warning) && _authFailureLog.TryTake(out var heldBack))
        {
            logger.AuthenticationFailed(answer.RequestType, address, LogText.Safe(senderId), cause, heldBack);
        }
    }

    private void Log(BackendAnswer answer, string? peerSenderId)
    {
        var level = answer.Succeeded ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }
        using var scope = LogScopes.Device(logger, answer.DevEui);
        var senderId = LogText.Safe(peerSenderId);
        var requestType = LogText.Safe(answer.RequestType);
        if (answer.Succeeded)
        {
            logger.Answered(requestType, senderId, answer.ResultCode.ToWireName());
        }
        else
        {
            // Descriptions quote what the peer sent (its SenderID, …): escaped and cut as well.
            logger.Refused(requestType, senderId, answer.ResultCode.ToWireName(), answer.Cause?.Code ?? JoinErrors.NoCause, LogText.Safe(answer.Description, LogText.DefaultMaxLength * 8));
        }
    }
}

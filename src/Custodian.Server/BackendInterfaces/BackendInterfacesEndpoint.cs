using System.Buffers;
using System.IO.Pipelines;
using Custodian.BackendInterfaces;
using Custodian.Core.Joins;

namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// <c>POST /backend-interfaces</c>: reads the body (at most <see cref="MaxBodySize"/>), parses it,
/// authenticates the peer, asks the <see cref="JoinServer"/> and writes its answer. An unreadable body is
/// HTTP 400; everything else HTTP 200 with a Result; a failure inside is logged and answered with a
/// generic Result, never a 500.
/// </summary>
public sealed class BackendInterfacesEndpoint(
    JoinServer joinServer, PeerAuthenticator authenticator, JoinMetrics metrics, TimeProvider time, ILogger<BackendInterfacesEndpoint> logger)
{
    /// <summary>A JoinReq is under 1 KiB; The Things Stack accepts 32 KiB.</summary>
    public const int MaxBodySize = 64 * 1024;
    private const string InternalFailure = "The Join Server could not answer this request; send it again later.";

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var cancellationToken = context.RequestAborted;
        var parsed = await ReadAsync(context.Request.BodyReader, cancellationToken).ConfigureAwait(false);
        if (parsed is null || !parsed.IsSuccess && parsed.Error.Answer() is null)
        {
            logger.Unreadable(parsed?.Error?.Message ?? $"The body is larger than {MaxBodySize} bytes.");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var answer = parsed.IsSuccess
            ? await AnswerAsync(context, parsed.Message, cancellationToken).ConfigureAwait(false)
            : Malformed(parsed.Error);
        metrics.Record(answer.RequestType, answer.ResultCode, time.GetElapsedTime(started));
        Log(answer, parsed.Message?.SenderID ?? parsed.Error?.Header?.SenderID ?? "");
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
            var code = request.MessageType is MessageTypes.JoinReq or MessageTypes.RejoinReq ? ResultCode.JoinReqFailed : ResultCode.Other;
            logger.Failed(exception, request.MessageType, request.SenderID, code.ToWireName());
            return BackendAnswer.Refusal(request, code, InternalFailure, null);
        }
    }

    private static BackendAnswer Malformed(ParseError error)
    {
        var answer = error.Answer()!;
        return new BackendAnswer(answer, error.Header!.MessageType, answer.Result.ResultCode, answer.Result.Description, null);
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

    private void Log(BackendAnswer answer, string senderId)
    {
        var level = answer.Succeeded ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level))
        {
            return;
        }
        using var scope = logger.BeginDevEuiScope(answer.DevEui);
        if (answer.Succeeded)
        {
            logger.Answered(answer.RequestType, senderId, answer.ResultCode.ToWireName());
        }
        else
        {
            logger.Refused(answer.RequestType, senderId, answer.ResultCode.ToWireName(), answer.Description);
        }
    }
}

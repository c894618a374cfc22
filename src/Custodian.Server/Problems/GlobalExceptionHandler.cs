using System.Data.Common;
using Custodian.Core.Errors;
using Custodian.Server.Logging;
using Microsoft.AspNetCore.Diagnostics;

namespace Custodian.Server.Problems;

/// <summary>
/// The last line of defence: an exception becomes a problem with a generic detail, never its message or
/// stack (which could carry internals). A request the framework could not read is a 400, a store that
/// cannot be reached a 503, anything else a 500.
/// </summary>
internal sealed class GlobalExceptionHandler(ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client left; nobody reads an answer
        }
        if (exception is BadHttpRequestException bad)
        {
            // The framework knows the status (400, 413 for a body too large…); the detail stays generic.
            var problem = CustodianProblems.Details(CustodianErrors.InvalidRequest.With("The request could not be read."));
            problem.Status = bad.StatusCode;
            await TypedResults.Problem(problem).ExecuteAsync(httpContext);
            return true;
        }
        var failure = exception switch
        {
            DbException or TimeoutException => CustodianErrors.StorageUnavailable.With("The store did not answer; retry later."),
            _ => CustodianErrors.Internal.With("An internal error occurred; it has been logged."),
        };
        if (failure.Error == CustodianErrors.StorageUnavailable)
        {
            ServerLog.StoreUnavailable(logger, exception);
        }
        else if (failure.Error == CustodianErrors.Internal)
        {
            ServerLog.Unhandled(logger, exception.GetType().Name, httpContext.Request.Method, Logging.LogText.Safe(httpContext.Request.Path, 256), exception);
        }
        await CustodianProblems.Result(failure).ExecuteAsync(httpContext);
        return true;
    }
}

using Custodian.Core.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Custodian.Server.Problems;

/// <summary>
/// RFC 7807 problem details for <see cref="CustodianFailure"/>s: <c>type</c> is
/// <c>https://custodian.dev/problems/&lt;code&gt;</c>, <c>code</c> the catalogue's stable code, and the
/// status comes from the error's category (the one table that maps categories to HTTP).
/// </summary>
public static class CustodianProblems
{
    public const string TypePrefix = "https://custodian.dev/problems/";

    public static int StatusOf(ErrorCategory category) => category switch
    {
        ErrorCategory.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorCategory.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorCategory.PermissionDenied => StatusCodes.Status403Forbidden,
        ErrorCategory.NotFound => StatusCodes.Status404NotFound,
        ErrorCategory.AlreadyExists or ErrorCategory.Conflict => StatusCodes.Status409Conflict,
        ErrorCategory.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        ErrorCategory.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemDetails Details(CustodianFailure failure)
    {
        var details = new ProblemDetails
        {
            Type = TypePrefix + failure.Error.Code,
            Title = failure.Error.Title,
            Status = StatusOf(failure.Error.Category),
            Detail = failure.Detail,
            Extensions = { ["code"] = failure.Error.Code },
        };
        if (failure.RetryAfter is { } retryAfter)
        {
            details.Extensions["retryAfter"] = RetryAfterSeconds(retryAfter);
        }
        return details;
    }

    /// <summary>The problem; with a <c>Retry-After</c> header too when the failure says when to retry (429s).</summary>
    public static IResult Result(CustodianFailure failure)
    {
        var problem = TypedResults.Problem(Details(failure));
        return failure.RetryAfter is { } retryAfter ? new RetryAfterResult(problem, retryAfter) : problem;
    }

    public static ProblemHttpResult Result(CustodianError error, string detail) => TypedResults.Problem(Details(error.With(detail)));

    /// <summary>Whole seconds, rounded up, at least 1: what <c>Retry-After</c> and <c>retryAfter</c> say.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));

    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class RetryAfterResult(ProblemHttpResult problem, TimeSpan retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => problem.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            SetRetryAfter(httpContext.Response, retryAfter);
            return problem.ExecuteAsync(httpContext);
        }
    }
}

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

    public static ProblemDetails Details(CustodianFailure failure) => new()
    {
        Type = TypePrefix + failure.Error.Code,
        Title = failure.Error.Title,
        Status = StatusOf(failure.Error.Category),
        Detail = failure.Detail,
        Extensions = { ["code"] = failure.Error.Code },
    };

    public static ProblemHttpResult Result(CustodianFailure failure) => TypedResults.Problem(Details(failure));

    public static ProblemHttpResult Result(CustodianError error, string detail) => Result(error.With(detail));
}

namespace Custodian.Core.Errors;

/// <summary>What kind of failure an error is; the server maps each category to one HTTP status.</summary>
public enum ErrorCategory
{
    InvalidArgument,
    Unauthenticated,
    PermissionDenied,
    NotFound,
    AlreadyExists,
    Conflict,
    ResourceExhausted,
    Unavailable,
    Internal,
}

/// <summary>
/// One entry of the error catalogue: a stable snake_case <see cref="Code"/>, its category and a title.
/// The detail of each occurrence says precisely what was wrong, and never holds a secret.
/// </summary>
public sealed record CustodianError(string Code, ErrorCategory Category, string Title)
{
    public CustodianFailure With(string detail) => new(this, detail);
}

/// <summary>An error that happened, with its detail.</summary>
public sealed record CustodianFailure(CustodianError Error, string Detail)
{
    /// <summary>For <see cref="ErrorCategory.ResourceExhausted"/>: when the caller may try again (HTTP Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }
}

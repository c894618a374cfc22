using System.Diagnostics.CodeAnalysis;

namespace Custodian.BackendInterfaces;

/// <summary>Either the typed message or the reason it could not be read.</summary>
public sealed class ParseResult
{
    private ParseResult(BackendInterfacesMessage? message, ParseError? error)
    {
        Message = message;
        Error = error;
    }

    public BackendInterfacesMessage? Message { get; }

    public ParseError? Error { get; }

    [MemberNotNullWhen(true, nameof(Message))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Message is not null;

    public static ParseResult Success(BackendInterfacesMessage message) => new(message, null);

    public static ParseResult Failure(ParseError error) => new(null, error);
}

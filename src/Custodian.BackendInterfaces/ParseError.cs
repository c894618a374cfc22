namespace Custodian.BackendInterfaces;

public enum ParseErrorKind
{
    /// <summary>Not JSON, or not a JSON object: there is no header to answer to (HTTP 400).</summary>
    UnreadableJson,

    /// <summary>A field is missing, has the wrong JSON type, or a wrong value or length.</summary>
    MalformedField,

    /// <summary>A MessageType this library does not read.</summary>
    UnsupportedMessageType,

    /// <summary>A ProtocolVersion other than 1.0 and 1.1.</summary>
    UnsupportedProtocolVersion,
}

/// <summary>
/// Why a message could not be read. <see cref="Message"/> is our own text, safe to send to the peer
/// as a Result Description; it never contains exception text.
/// </summary>
/// <param name="Kind">Which of the failures this is; it decides between HTTP 400 and a Result.</param>
/// <param name="Message">What is wrong, naming the field.</param>
/// <param name="Header">What could be read of the header; null when not even that could be read.</param>
public sealed record ParseError(ParseErrorKind Kind, string Message, MessageHeader? Header)
{
    /// <summary>The ResultCode to answer with; null when the answer is HTTP 400 without a body.</summary>
    public ResultCode? ResultCode => Header is null ? null : Kind switch
    {
        ParseErrorKind.UnreadableJson => null,
        ParseErrorKind.UnsupportedProtocolVersion => BackendInterfaces.ResultCode.InvalidProtocolVersion,
        _ => ResultCodes.Malformed(Header.Version ?? BackendInterfacesVersion.V1_1),
    };

    /// <summary>The answer to send back, when there is a header to answer to.</summary>
    public ResultAnswer? Answer() =>
        Header is not null && ResultCode is { } code ? Header.AnswerHeader().WithResult(code, Message) : null;
}

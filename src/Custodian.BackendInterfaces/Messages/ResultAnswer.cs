namespace Custodian.BackendInterfaces;

/// <summary>
/// An answer of any MessageType that carries only the header and a Result, as every failed
/// request is answered (JoinAns, AppSKeyAns, … or ErrorNotif alike). Written, never parsed.
/// </summary>
public sealed class ResultAnswer : BackendInterfacesMessage
{
    public ResultAnswer(MessageHeader header)
        : base(header, header.MessageType)
    {
    }

    public required Result Result { get; init; }
}

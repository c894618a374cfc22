namespace Custodian.BackendInterfaces;

/// <summary>An error notification (BI 1.1 asynchronous mode): a header and a Result.</summary>
public sealed class ErrorNotif : BackendInterfacesMessage
{
    public ErrorNotif()
        : base(MessageTypes.ErrorNotif)
    {
    }

    public required Result Result { get; init; }
}

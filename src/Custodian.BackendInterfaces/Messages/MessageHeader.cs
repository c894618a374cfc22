namespace Custodian.BackendInterfaces;

/// <summary>A header alone: what <see cref="BackendInterfacesMessage.AnswerHeader"/> returns, and what a parser can read of a malformed message.</summary>
public sealed class MessageHeader : BackendInterfacesMessage
{
    public MessageHeader()
        : base("")
    {
    }

    /// <summary>
    /// An answer carrying only this header and a Result: how every failed request is answered. The code is sent as
    /// this header's version reads it (<see cref="ResultCodeTables"/>).
    /// </summary>
    public ResultAnswer WithResult(ResultCode code, string? description = null) =>
        new(this) { Result = new Result(ResultCodeTables.ForVersion(code, Version), description) };
}

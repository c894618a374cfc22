namespace Custodian.Core.Joins;

/// <summary>
/// The Join Server's answer to one Backend Interfaces request: the message to send back, and what the
/// transport needs for metrics and logs (the result, its description, the device it concerned).
/// </summary>
public sealed record BackendAnswer(
    BackendInterfacesMessage Message,
    string RequestType,
    ResultCode ResultCode,
    string? Description,
    DevEui? DevEui)
{
    public bool Succeeded => ResultCode == ResultCode.Success;

    /// <summary>A refusal: the request's answer header with a Result only.</summary>
    public static BackendAnswer Refusal(BackendInterfacesMessage request, ResultCode code, string description, DevEui? devEui) =>
        new(request.AnswerHeader().WithResult(code, description), request.MessageType, code, description, devEui);
}

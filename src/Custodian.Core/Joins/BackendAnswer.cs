namespace Custodian.Core.Joins;

/// <summary>
/// The Join Server's answer to one Backend Interfaces request: the message to send back, and what the
/// transport needs for metrics and logs (the result, its description, the device it concerned, and for
/// a refusal its own cause from <see cref="JoinErrors"/>).
/// </summary>
public sealed record BackendAnswer(
    BackendInterfacesMessage Message,
    string RequestType,
    ResultCode ResultCode,
    string? Description,
    DevEui? DevEui,
    JoinError? Cause = null)
{
    public bool Succeeded => ResultCode == ResultCode.Success;

    /// <summary>The sender's credential failed (none, or not the SenderID's or SenderNSID's).</summary>
    public bool AuthenticationFailed => Cause?.Authentication == true;

    /// <summary>A refusal for <paramref name="cause"/>, answered with the ResultCode <see cref="JoinResultCodes"/> gives it.</summary>
    public static BackendAnswer Refusal(BackendInterfacesMessage request, JoinError cause, string description, DevEui? devEui) =>
        Refusal(request, JoinResultCodes.For(cause, request.Version ?? BackendInterfacesVersion.V1_1), cause, description, devEui);

    /// <summary>A refusal: the request's answer header with a Result only.</summary>
    public static BackendAnswer Refusal(BackendInterfacesMessage request, ResultCode code, JoinError cause, string description, DevEui? devEui) =>
        new(request.AnswerHeader().WithResult(code, description), request.MessageType, code, description, devEui, cause);
}

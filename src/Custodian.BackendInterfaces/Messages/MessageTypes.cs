namespace Custodian.BackendInterfaces;

/// <summary>The MessageType values this library reads and writes.</summary>
public static class MessageTypes
{
    public const string JoinReq = nameof(JoinReq);
    public const string JoinAns = nameof(JoinAns);
    public const string RejoinReq = nameof(RejoinReq);
    public const string RejoinAns = nameof(RejoinAns);
    public const string AppSKeyReq = nameof(AppSKeyReq);
    public const string AppSKeyAns = nameof(AppSKeyAns);
    public const string HomeNSReq = nameof(HomeNSReq);
    public const string HomeNSAns = nameof(HomeNSAns);
    public const string ErrorNotif = nameof(ErrorNotif);

    /// <summary>The answer's type: "XxxReq" is answered by "XxxAns"; anything else by ErrorNotif.</summary>
    public static string AnswerTo(string requestType) =>
        requestType.EndsWith("Req", StringComparison.Ordinal) ? requestType[..^3] + "Ans" : ErrorNotif;
}

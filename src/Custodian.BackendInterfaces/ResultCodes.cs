namespace Custodian.BackendInterfaces;

/// <summary>Maps failures to ResultCodes, and ResultCodes to and from their wire names.</summary>
public static class ResultCodes
{
    // The specification's own misspelling goes out, so strict peers understand it;
    // the correct spelling is read too, as The Things Stack and ChirpStack do.
    private const string UnknownReceiverWireName = "UnkownReceiver";

    private static readonly Dictionary<string, ResultCode> ByName = BuildNameTable();

    /// <summary>"Malformed" is MalformedRequest in BI 1.0 and MalformedMessage in BI 1.1.</summary>
    public static ResultCode Malformed(BackendInterfacesVersion version) =>
        ResultCodeTables.ForVersion(ResultCode.MalformedMessage, version);

    /// <summary>The ResultCode The Things Stack answers for each failure (pkg/interop/errors.go, pkg/joinserver).</summary>
    public static ResultCode For(FailureCondition condition, BackendInterfacesVersion version) => condition switch
    {
        FailureCondition.MalformedMessage
            or FailureCondition.PayloadDecodeError
            or FailureCondition.CFListWrongLength
            or FailureCondition.DLSettingsWrongLength => Malformed(version),
        FailureCondition.MicMismatch => ResultCode.MICFailed,
        FailureCondition.UnknownDevEui => ResultCode.UnknownDevEUI,
        FailureCondition.UnknownSender => ResultCode.UnknownSender,
        FailureCondition.UnknownReceiver => ResultCode.UnknownReceiver,
        FailureCondition.ActivationDisallowed => ResultCode.ActivationDisallowed,
        FailureCondition.DevNonceReused or FailureCondition.JoinFailed => ResultCode.JoinReqFailed,
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown failure condition."),
    };

    public static string ToWireName(this ResultCode code) =>
        code == ResultCode.UnknownReceiver ? UnknownReceiverWireName : code.ToString();

    /// <summary>Reads a wire name, ignoring case.</summary>
    public static bool TryParse(string? name, out ResultCode code) => ByName.TryGetValue(name ?? "", out code);

    private static Dictionary<string, ResultCode> BuildNameTable()
    {
        var table = new Dictionary<string, ResultCode>(StringComparer.OrdinalIgnoreCase);
        foreach (var code in Enum.GetValues<ResultCode>())
        {
            table[code.ToString()] = code;
        }
        table[UnknownReceiverWireName] = ResultCode.UnknownReceiver;
        return table;
    }
}

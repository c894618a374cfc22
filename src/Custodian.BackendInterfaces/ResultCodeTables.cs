namespace Custodian.BackendInterfaces;

/// <summary>
/// The ResultCode each Backend Interfaces version answers with: ONE table per version, so that an answer never
/// carries a code the peers of that version cannot read. A refusal is decided as a <see cref="ResultCode"/> (any of
/// them); <see cref="ForVersion"/> turns it into the code sent, and <see cref="ResultCodes.ToWireName"/> spells it.
/// To add a code, add its row to both tables (a test checks every code has one).
/// </summary>
/// <remarks>
/// The clients whose parsers decide what is readable:
/// <list type="bullet">
/// <item>ChirpStack v4 (<c>backend/src/lib.rs</c>, <c>enum ResultCode</c>) always speaks "1.0". Its serde enum has no
/// <c>MalformedMessage</c>, <c>NoAction</c> or <c>FrameReplayed</c>, and an unknown variant fails the whole answer's parse
/// (so the network sees a JSON error, not a refusal).</item>
/// <item>The Things Stack (<c>pkg/interop/errors.go</c>) reads any string; <c>resultErrors</c> names all of TS002's codes
/// except <c>Other</c>, which it reports as <c>unexpected_result</c>.</item>
/// </list>
/// A request whose ProtocolVersion could not be read is answered from the 1.0 table, which both read in full.
/// </remarks>
public static class ResultCodeTables
{
    /// <summary>BI 1.0: the codes ChirpStack's enum and The Things Stack read; the 1.1-only codes fall back.</summary>
    private static readonly Dictionary<ResultCode, ResultCode> V1_0 = Table(
        (ResultCode.MalformedMessage, ResultCode.MalformedRequest),
        (ResultCode.NoAction, ResultCode.Other),
        (ResultCode.FrameReplayed, ResultCode.JoinReqFailed));

    /// <summary>BI 1.1: TS002 1.1's own names (MalformedRequest became MalformedMessage).</summary>
    private static readonly Dictionary<ResultCode, ResultCode> V1_1 = Table(
        (ResultCode.MalformedRequest, ResultCode.MalformedMessage));

    /// <summary>The code to send for <paramref name="code"/> in an answer spoken in <paramref name="version"/>.</summary>
    public static ResultCode ForVersion(ResultCode code, BackendInterfacesVersion? version) =>
        (version == BackendInterfacesVersion.V1_1 ? V1_1 : V1_0).TryGetValue(code, out var sent) ? sent : ResultCode.Other;

    /// <summary>Every code that <see cref="ForVersion"/> may send in <paramref name="version"/>.</summary>
    public static IReadOnlySet<ResultCode> Sent(BackendInterfacesVersion version) =>
        (version == BackendInterfacesVersion.V1_1 ? V1_1 : V1_0).Values.ToHashSet();

    /// <summary>Each code as itself, except the given fallbacks.</summary>
    private static Dictionary<ResultCode, ResultCode> Table(params (ResultCode Code, ResultCode Sent)[] fallbacks)
    {
        var table = Enum.GetValues<ResultCode>().ToDictionary(code => code, code => code);
        foreach (var (code, sent) in fallbacks)
        {
            table[code] = sent;
        }
        return table;
    }
}

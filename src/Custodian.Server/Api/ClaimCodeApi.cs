using Custodian.Core.Devices;
using Custodian.Core.Errors;
using Custodian.Server.Auth;
using Custodian.Server.Logging;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>POST /api/v1/devices/{devEui}/claim-code</c> (devices:provision): the maker issues a new claim code for a device
/// nobody owns (see <see cref="ClaimCodeReissuer"/>). The code and QR text are in this answer only, never cached.
/// </summary>
internal static class ClaimCodeApi
{
    public sealed record ClaimCodeResponse(string DevEui, string ClaimCode, string Qr);

    public static async Task<IResult> ReissueAsync(
        string devEui, HttpContext context, CallerContext caller, ClaimCodeReissuer reissuer, ILogger<RestApi> logger)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!DevEui.TryParse(devEui, out var eui, out var error))
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "devEui: " + error);
        }
        var result = await reissuer.ReissueAsync(caller.TenantId, caller.Actor, eui, context.RequestAborted);
        if (result.Failure is { } failure)
        {
            return CustodianProblems.Result(failure);
        }
        using (LogScopes.Device(logger, eui))
        {
            MakerLog.ClaimCodeReissued(logger, caller.TenantId);
        }
        return TypedResults.Ok(new ClaimCodeResponse(eui.ToString(), result.Code.ExportSecret(), result.Qr!));
    }
}

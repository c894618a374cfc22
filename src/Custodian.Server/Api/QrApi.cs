using System.Globalization;
using Custodian.Core.Errors;
using Custodian.Lorawan.Qr;
using Custodian.Server.DeviceRepository;
using Custodian.Server.Problems;

namespace Custodian.Server.Api;

/// <summary>
/// <c>POST /api/v1/qr/parse</c>: what a scanned label says (TR005, its drafts, a bare DevEUI), so that a
/// console can show the fields before it claims. Any valid key may call it: it reads nothing from the store.
/// </summary>
internal static class QrApi
{
    public static void MapQrApi(this IEndpointRouteBuilder api) => api.MapPost("/qr/parse", ParseAsync);

    public sealed record ParseRequest(string? Qr);

    /// <summary>The label's fields; <see cref="ClaimCode"/> is the TR005 owner token, echoed to whoever holds the label.</summary>
    public sealed record ParseResponse(
        string Format,
        string? JoinEui,
        string DevEui,
        string? VendorId,
        string? VendorProfileId,
        string? ClaimCode,
        string? SerialNumber,
        string? Proprietary,
        string? Checksum,
        DeviceRepositoryApi.DeviceModelResponse? Device = null)
    {
        public override string ToString() => $"ParseResponse {{ DevEui = {DevEui} }}";
    }

    private static async Task<IResult> ParseAsync(HttpRequest request, JsonBody json, DeviceCatalog catalog)
    {
        var (body, failure) = await json.ReadAsync<ParseRequest>(request);
        if (body is null)
        {
            return CustodianProblems.Result(failure!);
        }
        if (body.Qr is null)
        {
            return CustodianProblems.Result(CustodianErrors.InvalidField, "qr: required, the text of the QR code as scanned.");
        }
        return QrCode.TryParse(body.Qr, out var code, out var error)
            ? TypedResults.Ok(Describe(code) with { Device = DeviceRepositoryApi.Describe(catalog.Find(code), code.VendorId, code.VendorProfileId) })
            : CustodianProblems.Result(CustodianErrors.InvalidField, $"qr: {error}.");
    }

    private static ParseResponse Describe(QrCode code) => new(
        code.Format.ToFormatId(),
        code.JoinEui?.ToString(),
        code.DevEui.ToString(),
        Hex4(code.VendorId),
        Hex4(code.VendorProfileId),
        string.IsNullOrEmpty(code.OwnerToken) ? null : code.OwnerToken,
        string.IsNullOrEmpty(code.Serial) ? null : code.Serial,
        string.IsNullOrEmpty(code.Proprietary) ? null : code.Proprietary,
        string.IsNullOrEmpty(code.Checksum) ? null : code.Checksum);

    private static string? Hex4(ushort? value) => value?.ToString("X4", CultureInfo.InvariantCulture);
}

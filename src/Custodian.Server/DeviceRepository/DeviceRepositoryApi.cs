using System.Globalization;
using Custodian.Core.Tenancy;
using Custodian.DeviceRepository;
using Custodian.Server.Auth;

namespace Custodian.Server.DeviceRepository;

/// <summary>
/// <c>POST /api/v1/device-repository/reload</c> (admin): read <c>Custodian:DeviceRepository</c> again;
/// <c>GET /api/v1/device-repository/photos/{vendorId}/{vendorProfileId}</c> (any key): the named device's main photo.
/// </summary>
internal static class DeviceRepositoryApi
{
    public static void AddDeviceRepository(this IServiceCollection services)
    {
        services.AddSingleton<DeviceCatalog>();
        services.AddHostedService<DeviceCatalogLoader>();
    }

    public static void MapDeviceRepositoryApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/device-repository");
        group.MapPost("/reload", Reload).RequireRight(ApiRights.Admin);
        group.MapGet("/photos/{vendorId}/{vendorProfileId}", Photo);
    }

    public sealed record ReloadResponse(int Vendors, int Profiles, int Skipped);

    /// <summary>A device as the QR parse and claim answers name it; <see cref="Photo"/> is the URL of its photo.</summary>
    public sealed record DeviceModelResponse(
        string Vendor, string VendorName, string ModelId, string Model, string? Description,
        string? FirmwareVersion, string? HardwareVersion, string? Region, string? Photo);

    public static DeviceModelResponse? Describe(DeviceModel? model, ushort? vendorId, ushort? profileId) => model is null
        ? null
        : new(model.VendorId, model.VendorName, model.ModelId, model.Model, model.Description, model.FirmwareVersion,
            model.HardwareVersion, model.Region,
            model.PhotoPath is null ? null : $"/api/v1/device-repository/photos/{vendorId:X4}/{profileId:X4}");

    private static ReloadResponse Reload(DeviceCatalog catalog)
    {
        var index = catalog.Reload();
        return new ReloadResponse(index.Vendors, index.Profiles, index.Problems.Count);
    }

    private static IResult Photo(string vendorId, string vendorProfileId, DeviceCatalog catalog)
    {
        if (!TryHex(vendorId, out var vendor) || !TryHex(vendorProfileId, out var profile)
            || catalog.Index.Find(vendor, profile)?.PhotoPath is not { } path || !File.Exists(path))
        {
            return TypedResults.NotFound();
        }
        var type = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".svg" => "image/svg+xml",
            _ => "image/jpeg",
        };
        return TypedResults.PhysicalFile(path, type);
    }

    private static bool TryHex(string text, out ushort value) =>
        ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length == 4;
}

using Custodian.DeviceRepository;
using Custodian.Lorawan.Qr;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.DeviceRepository;

/// <summary>
/// The Device Repository index of <c>Custodian:DeviceRepository</c>, built when the server starts and again on
/// <see cref="Reload"/>. A missing or broken repository is logged and leaves the previous index (or none) in place:
/// naming devices is a courtesy, never a reason for the server not to run.
/// </summary>
internal sealed partial class DeviceCatalog(IOptions<CustodianOptions> options, ILogger<DeviceCatalog> logger)
{
    private volatile DeviceRepositoryIndex _index = DeviceRepositoryIndex.Empty;
    private readonly Lock _reloading = new();

    public DeviceRepositoryIndex Index => _index;

    /// <summary>The end device a scanned code names, when its VendorID and VendorProfileID are in the repository.</summary>
    public DeviceModel? Find(QrCode code) =>
        code.VendorId is { } vendor && code.VendorProfileId is { } profile ? _index.Find(vendor, profile) : null;

    /// <summary>Builds the index again; answers it (the old one when the repository cannot be read).</summary>
    public DeviceRepositoryIndex Reload()
    {
        var root = options.Value.DeviceRepository;
        if (string.IsNullOrWhiteSpace(root))
        {
            return _index;
        }
        lock (_reloading)
        {
            try
            {
                var index = DeviceRepositoryIndex.Load(root);
                foreach (var problem in index.Problems.Take(20))
                {
                    FileSkipped(logger, problem);
                }
                Loaded(logger, Path.GetFullPath(root), index.Vendors, index.Profiles, index.Problems.Count);
                _index = index;
            }
            catch (Exception e) when (e is DeviceRepositoryException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                Unreadable(logger, root, e.Message);
            }
            return _index;
        }
    }

    [LoggerMessage(1200, LogLevel.Information, "Device Repository {Root}: {Vendors} vendors with a VendorID, {Profiles} VendorProfileIDs named, {Skipped} files skipped")]
    private static partial void Loaded(ILogger logger, string root, int vendors, int profiles, int skipped);

    [LoggerMessage(1201, LogLevel.Warning, "Device Repository: skipped {Problem}")]
    private static partial void FileSkipped(ILogger logger, string problem);

    [LoggerMessage(1202, LogLevel.Warning, "Device Repository {Root} cannot be read ({Reason}); scanned devices are not named")]
    private static partial void Unreadable(ILogger logger, string root, string reason);
}

/// <summary>Loads the Device Repository when the server starts.</summary>
internal sealed class DeviceCatalogLoader(DeviceCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(catalog.Reload, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

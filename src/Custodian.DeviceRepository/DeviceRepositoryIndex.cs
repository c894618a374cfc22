using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Custodian.DeviceRepository;

/// <summary>
/// An index of a LoRaWAN Device Repository checkout, built once: <c>vendor/index.yaml</c> lists the vendors with their
/// LoRa Alliance <c>vendorID</c>; each <c>vendor/&lt;id&gt;/index.yaml</c> maps a TR005 VendorProfileID (decimal, under
/// <c>profileIDs</c>) to an <c>endDeviceID</c>, <c>firmwareVersion</c>, <c>hardwareVersion</c> and <c>region</c>;
/// <c>vendor/&lt;id&gt;/&lt;device&gt;.yaml</c> gives the device's <c>name</c>, <c>description</c> and <c>photos.main</c>.
/// A vendor or device file that is missing or broken is skipped and reported in <see cref="Problems"/>; only a
/// missing or unreadable <c>vendor/index.yaml</c> fails the whole load.
/// </summary>
public sealed class DeviceRepositoryIndex
{
    private readonly Dictionary<(ushort Vendor, ushort Profile), DeviceModel> _models;

    private DeviceRepositoryIndex(Dictionary<(ushort, ushort), DeviceModel> models, int vendors, IReadOnlyList<string> problems)
    {
        _models = models;
        Vendors = vendors;
        Problems = problems;
    }

    /// <summary>An index that names nothing: no repository configured, or one that could not be read.</summary>
    public static DeviceRepositoryIndex Empty { get; } = new([], 0, []);

    /// <summary>Vendors with a LoRa Alliance VendorID.</summary>
    public int Vendors { get; }

    /// <summary>VendorProfileIDs that name an end device.</summary>
    public int Profiles => _models.Count;

    /// <summary>Files skipped while loading, each with the reason.</summary>
    public IReadOnlyList<string> Problems { get; }

    public DeviceModel? Find(ushort vendorId, ushort vendorProfileId) =>
        _models.GetValueOrDefault((vendorId, vendorProfileId));

    /// <summary>Reads the checkout at <paramref name="root"/> (the folder holding <c>vendor/</c>).</summary>
    /// <exception cref="DeviceRepositoryException">No readable <c>vendor/index.yaml</c>.</exception>
    public static DeviceRepositoryIndex Load(string root)
    {
        var vendorDirectory = Path.Combine(root, "vendor");
        var vendorIndex = Path.Combine(vendorDirectory, "index.yaml");
        var vendors = Read(vendorIndex) ?? throw new DeviceRepositoryException($"{vendorIndex} is missing or not YAML");
        var models = new Dictionary<(ushort, ushort), DeviceModel>();
        var problems = new List<string>();
        var count = 0;
        foreach (var vendor in Sequence(vendors, "vendors").OfType<YamlMappingNode>())
        {
            if (Text(vendor, "id") is not { } id || !IsIdentifier(id) || !TryNumber(Text(vendor, "vendorID"), out var vendorId))
            {
                continue; // vendors without a LoRa Alliance VendorID cannot be named from a QR code
            }
            count++;
            AddVendor(Path.Combine(vendorDirectory, id), new VendorInfo(id, Text(vendor, "name") ?? id, vendorId), models, problems);
        }
        return new DeviceRepositoryIndex(models, count, problems);
    }

    private sealed record VendorInfo(string Id, string Name, ushort VendorId);

    private static void AddVendor(string directory, VendorInfo vendor, Dictionary<(ushort, ushort), DeviceModel> models, List<string> problems)
    {
        var index = Path.Combine(directory, "index.yaml");
        if (Read(index, problems) is not { } root || Child(root, "profileIDs") is not YamlMappingNode profiles)
        {
            return;
        }
        var devices = new Dictionary<string, YamlMappingNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in profiles.Children)
        {
            if (!TryNumber((key as YamlScalarNode)?.Value, out var profileId) || value is not YamlMappingNode profile
                || Text(profile, "endDeviceID") is not { } deviceId || !IsIdentifier(deviceId))
            {
                problems.Add($"{index}: profile {key} does not name an endDeviceID");
                continue;
            }
            if (!devices.TryGetValue(deviceId, out var device))
            {
                device = Read(Path.Combine(directory, deviceId + ".yaml"), problems);
                devices[deviceId] = device;
            }
            if (device is null)
            {
                continue;
            }
            models[(vendor.VendorId, profileId)] = Model(vendor, directory, deviceId, device, profile);
        }
    }

    private static DeviceModel Model(VendorInfo vendor, string directory, string deviceId, YamlMappingNode device, YamlMappingNode profile)
    {
        var photo = Child(device, "photos") is YamlMappingNode photos ? Text(photos, "main") : null;
        // A photo is a file beside the device's YAML: a name that would leave the vendor's folder is not one.
        var photoPath = photo is not null && Path.GetFileName(photo) == photo && File.Exists(Path.Combine(directory, photo))
            ? Path.Combine(directory, photo)
            : null;
        return new DeviceModel(
            vendor.Id, vendor.Name, deviceId, Text(device, "name") ?? deviceId, Text(device, "description"),
            Text(profile, "firmwareVersion"), Text(profile, "hardwareVersion"), Text(profile, "region"), photoPath);
    }

    private static YamlMappingNode? Read(string path, List<string>? problems = null)
    {
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
            {
                return root;
            }
            problems?.Add($"{path}: not a YAML mapping");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlException)
        {
            problems?.Add($"{path}: {e.Message}");
        }
        return null;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string key) =>
        Child(node, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        Child(node, key) is YamlSequenceNode sequence ? sequence.Children : [];

    private static bool TryNumber(string? text, out ushort value) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    // The repository's identifiers: lowercase letters, digits and dashes (also what keeps paths inside the checkout).
    private static bool IsIdentifier(string text) =>
        text.Length is > 0 and <= 36 && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}

/// <summary>The repository cannot be read at all (no <c>vendor/index.yaml</c>).</summary>
public sealed class DeviceRepositoryException(string message) : Exception(message);

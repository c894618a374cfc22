using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Cli.Tests.Claims;

namespace Custodian.Cli.Tests.Devices;

/// <summary>A manifest row as a test reads it back (CSV or JSON), by the manifest's column names.</summary>
internal sealed record ManifestEntry(string DevEui, string JoinEui, string MacVersion, string? AppKey, string? NwkKey, string Code, string Qr);

/// <summary>Helpers of the device command tests: DevEUI ranges of their own, running the CLI as a maker, reading manifests.</summary>
internal static class ProvisionWorld
{
    public const string JoinEui = ClaimTestBed.JoinEui;
    private static long _nextRange;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A first DevEUI no other test uses, with room for a million devices after it.</summary>
    public static ulong FreshRange() => 0x00AA000000000000UL | ((ulong)Interlocked.Increment(ref _nextRange) << 20);

    public static string Eui(ulong value) => value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);

    public static Task<string> MakerKeyAsync(this ClaimTestBed bed) => bed.Server.ApiKeyAsync("maker", "devices:provision", "devices:read");

    public static Task<CliRun> DevicesAsync(this ClaimTestBed bed, string key, params string[] args) =>
        CliRun.AgainstAsync(bed.Server, key, ["devices", .. args]);

    public static Task<CliRun> ProvisionAsync(this ClaimTestBed bed, string key, ulong first, int count, string manifest, params string[] args) =>
        bed.DevicesAsync(key, ["provision", "--join-eui", JoinEui, "--dev-eui-start", Eui(first), "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--mac-version", "1.0.3", "--out", manifest, .. args]);

    public static List<ManifestEntry> ReadManifest(string path)
    {
        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return [.. document.RootElement.EnumerateArray().Select(item => new ManifestEntry(
                Text(item, "dev_eui")!, Text(item, "join_eui")!, Text(item, "mac_version")!, Text(item, "app_key"), Text(item, "nwk_key"),
                Text(item, "claim_authentication_code")!, Text(item, "qr_code")!))];
        }
        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("dev_eui,join_eui,mac_version,app_key,nwk_key,claim_authentication_code,qr_code");
        return [.. lines.Skip(1).Select(line => line.Split(',')).Select(cells => new ManifestEntry(
            cells[0], cells[1], cells[2], NullIfEmpty(cells[3]), NullIfEmpty(cells[4]), cells[5], cells[6]))];
    }

    /// <summary>What the server tells the maker about a device: its claim code (while the maker holds it) and QR text.</summary>
    public static async Task<(string? Code, string? Qr)> MakerViewAsync(this ClaimTestBed bed, string makerKey, string devEui)
    {
        var device = await bed.Server.Client(makerKey).GetFromJsonAsync<JsonElement>($"/api/v1/devices/{devEui}", Ct);
        return (Text(device, "claimCode"), Text(device, "qr"));
    }

    /// <summary>Provisions through the API, as another tool would, with the given claim code.</summary>
    public static async Task ProvisionByApiAsync(this ClaimTestBed bed, string makerKey, string devEui, string code, string? appKey = null)
    {
        using var response = await bed.Server.Client(makerKey).PostAsJsonAsync(
            "/api/v1/devices", new { joinEui = JoinEui, devEui, macVersion = "1.0.3", claimCode = code, appKey }, Ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Decodes each PNG with zbarimg (Debian's zbar-tools), an independent reader; one text per file, in order.</summary>
    public static async Task<string[]> ScanAsync(IEnumerable<string> pngs)
    {
        var run = await CliRun.ProgramAsync("zbarimg", ["--raw", "-q", .. pngs]);
        run.ExitCode.Should().Be(0, run.Error);
        return run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Text;
using System.Text.Json;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// A file of devices to provision, for makers who made the keys themselves, and the manifests this tool writes:
/// CSV with a header row (<c>dev_eui</c>, <c>join_eui</c> or <c>app_eui</c>, <c>mac_version</c> or
/// <c>lorawan_version</c>, and optionally <c>app_key</c>, <c>nwk_key</c>, <c>claim_authentication_code</c>,
/// <c>vendor_id</c>, <c>vendor_profile_id</c>, <c>serial_number</c>, <c>qr_code</c>), or JSON (an array or stream of
/// objects with those names, the API's camelCase names, or The Things Stack end devices). Streamed a row at a time.
/// </summary>
internal static class DeviceFile
{
    public const string ExpectedCsv =
        "a CSV header row naming dev_eui, join_eui (or app_eui) and mac_version (or lorawan_version), and optionally app_key, nwk_key, claim_authentication_code, vendor_id, vendor_profile_id, serial_number (separated by ',' or ';')";

    public const string ExpectedJson =
        "a JSON array or stream of devices: objects with dev_eui, join_eui, mac_version… (or devEui, joinEui, macVersion…, or The Things Stack end devices)";

    private const int BufferSize = 64 * 1024;

    /// <summary>A row and the QR text the file gave for it (manifests carry it; a device file need not).</summary>
    public readonly record struct Entry(DeviceRow Row, string? Qr);

    /// <summary>How many rows the file holds, reading it through once (the progress bar's total).</summary>
    /// <exception cref="ClaimFileException">The file is unusable or broken; the message names the file.</exception>
    public static long Count(string path)
    {
        long count = 0;
        try
        {
            foreach (var _ in Read(path))
            {
                count++;
            }
        }
        catch (ClaimFileException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new ClaimFileException($"{path}, {e.Message}.");
        }
        return count;
    }

    /// <exception cref="ClaimFileException">The file is unusable; raised on the first read.</exception>
    public static IEnumerable<Entry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ClaimFileException($"No such file: {path}.");
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        var isJson = StartsLikeJson(stream, path);
        var entries = isJson ? ReadJson(stream) : ReadCsv(stream, path);
        foreach (var entry in entries)
        {
            yield return entry;
        }
    }

    private static bool StartsLikeJson(FileStream stream, string path)
    {
        Span<byte> sample = stackalloc byte[512];
        var length = stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false);
        var text = sample[..length];
        var bom = text.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        stream.Position = bom;
        var first = text[bom..].IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0 && length < sample.Length)
        {
            throw new ClaimFileException($"{path} is empty: expected {ExpectedCsv}, or {ExpectedJson}.");
        }
        if (text[bom..].Contains((byte)0))
        {
            throw new ClaimFileException($"{path} is not UTF-8 text: expected {ExpectedCsv}, or {ExpectedJson}.");
        }
        var isJson = first >= 0 && text[bom + first] is (byte)'[' or (byte)'{';
        if (!isJson && Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ClaimFileException($"{path} does not start with '[' or '{{': expected {ExpectedJson}.");
        }
        return isJson;
    }

    private static IEnumerable<Entry> ReadCsv(Stream stream, string path)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, BufferSize, leaveOpen: true);
        if (CsvRecordReader.OpenWithHeader(reader) is not ({ } header, { } records))
        {
            throw new ClaimFileException($"{path} is empty: expected {ExpectedCsv}.");
        }
        var columns = new Columns([.. header.Select(name => name.Trim().ToLowerInvariant())]);
        if (!columns.IsUsable)
        {
            throw new ClaimFileException($"{path} has no usable header row: expected {ExpectedCsv}.");
        }
        var fields = new List<string>();
        while (records.TryRead(fields))
        {
            yield return columns.Entry(records.RecordLine, fields);
        }
    }

    private static IEnumerable<Entry> ReadJson(Stream stream)
    {
        using var splitter = new JsonValueSplitter(stream);
        while (splitter.TryNext(out var item, out var line))
        {
            yield return JsonEntry(item, line);
        }
    }

    private static Entry JsonEntry(ReadOnlyMemory<byte> item, int line)
    {
        using var document = JsonDocument.Parse(item);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new Entry(Unreadable(line, $"expected {ExpectedJson}"), null);
        }
        string? Text(params string[] path)
        {
            var element = root;
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !TryGetIgnoringCase(element, name, out element))
                {
                    return null;
                }
            }
            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }
        string? First(params string[][] paths) => paths.Select(path => Text(path)).FirstOrDefault(value => value is not null);

        return Checked(
            line,
            devEui: First(["dev_eui"], ["devEui"], ["ids", "dev_eui"]),
            joinEui: First(["join_eui"], ["app_eui"], ["joinEui"], ["ids", "join_eui"], ["ids", "app_eui"]),
            macVersion: First(["mac_version"], ["macVersion"], ["lorawan_version"]),
            appKey: First(["app_key"], ["appKey"], ["root_keys", "app_key", "key"]),
            nwkKey: First(["nwk_key"], ["nwkKey"], ["root_keys", "nwk_key", "key"]),
            code: First(["claim_authentication_code"], ["claimCode"], ["claim_authentication_code", "value"]),
            vendorId: First(["vendor_id"], ["vendorId"]),
            vendorProfileId: First(["vendor_profile_id"], ["vendorProfileId"]),
            serial: First(["serial_number"], ["serialNumber"]),
            qr: First(["qr_code"], ["qr"]));
    }

    private static bool TryGetIgnoringCase(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Checks what the server could only refuse with a less helpful message (the DevEUI the row is known by, the
    /// JoinEUI, the claim code's alphabet); keys and the MAC version are left to the server, which names the field.
    /// </summary>
    private static Entry Checked(
        int line, string? devEui, string? joinEui, string? macVersion, string? appKey, string? nwkKey, string? code,
        string? vendorId, string? vendorProfileId, string? serial, string? qr)
    {
        if (string.IsNullOrWhiteSpace(devEui) || !Lorawan.DevEui.TryParse(DevEuiArgument.Normalize(devEui), out var parsedDevEui, out _))
        {
            return new Entry(Unreadable(line, devEui is null ? "dev_eui: missing" : $"dev_eui: '{devEui}' is not a DevEUI (16 hex digits)"), null);
        }
        var canonical = parsedDevEui.ToString();
        string? Problem()
        {
            if (string.IsNullOrWhiteSpace(joinEui))
            {
                return "join_eui: missing";
            }
            if (!Lorawan.JoinEui.TryParse(DevEuiArgument.Normalize(joinEui), out _, out _))
            {
                return $"join_eui: '{joinEui}' is not a JoinEUI (16 hex digits)";
            }
            if (string.IsNullOrWhiteSpace(macVersion))
            {
                return "mac_version: missing";
            }
            return !string.IsNullOrWhiteSpace(code) && ClaimCodeText.Check(code.Trim()) is { } codeProblem ? $"claim_authentication_code: {codeProblem}" : null;
        }
        var problem = Problem();
        var row = new DeviceRow(line, canonical, joinEui is null ? null : DevEuiArgument.Normalize(joinEui).ToUpperInvariant(), macVersion?.Trim(),
            appKey, nwkKey, Blank(code) ? null : code!.Trim().ToUpperInvariant(), vendorId, vendorProfileId, serial,
            problem is null ? null : $"line {line}: {problem}");
        return new Entry(row, Blank(qr) ? null : qr!.Trim());
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);

    private static DeviceRow Unreadable(int line, string reason) => new(line, "", null, null, Problem: $"line {line}: {reason}");

    /// <summary>Where each known column is in a CSV header (-1 when absent).</summary>
    private sealed class Columns(List<string> names)
    {
        private readonly int _devEui = names.IndexOf("dev_eui");
        private readonly int[] _joinEui = [names.IndexOf("join_eui"), names.IndexOf("app_eui")];
        private readonly int[] _macVersion = [names.IndexOf("mac_version"), names.IndexOf("lorawan_version")];
        private readonly int _appKey = names.IndexOf("app_key");
        private readonly int _nwkKey = names.IndexOf("nwk_key");
        private readonly int _code = names.IndexOf("claim_authentication_code");
        private readonly int _vendorId = names.IndexOf("vendor_id");
        private readonly int _vendorProfileId = names.IndexOf("vendor_profile_id");
        private readonly int _serial = names.IndexOf("serial_number");
        private readonly int _qr = names.IndexOf("qr_code");

        public bool IsUsable => _devEui >= 0 && _joinEui.Any(i => i >= 0) && _macVersion.Any(i => i >= 0);

        public Entry Entry(int line, List<string> fields) => Checked(
            line, Cell(fields, _devEui), Cell(fields, _joinEui), Cell(fields, _macVersion), Cell(fields, _appKey), Cell(fields, _nwkKey),
            Cell(fields, _code), Cell(fields, _vendorId), Cell(fields, _vendorProfileId), Cell(fields, _serial), Cell(fields, _qr));

        private static string? Cell(List<string> fields, int[] columns) =>
            columns.Select(column => Cell(fields, column)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

        private static string? Cell(List<string> fields, int column) => column >= 0 && column < fields.Count ? fields[column] : null;
    }
}

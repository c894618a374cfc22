using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Custodian.Cli.Api;
using Custodian.Cli.Batches;
using Custodian.Cli.Output;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// <c>custodian devices provision</c>: a maker provisions a range of DevEUIs with root keys and claim codes made
/// here, and takes away the manifest and the labels. Rerunning the same command after an interruption finishes the
/// range: devices in the manifest are kept, devices whose rows were in flight are recognised (see <see cref="ProvisionJournal"/>).
/// </summary>
internal static class ProvisionCommand
{
    public const int MaxCount = 10_000_000;
    private const int ClaimCodeLength = 16;
    private const string ClaimCodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static Command Create(CliConsole console, CliOptions options)
    {
        var provision = new ProvisionOptions();
        var command = new Command("provision", "Provision a range of devices: root keys and claim codes made here, a manifest and QR labels out.");
        foreach (var option in provision.All)
        {
            command.Options.Add(option);
        }
        command.Validators.Add(provision.Validate);
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var request = provision.Read(parseResult);
            var manifest = parseResult.GetValue(provision.Out)!;
            IReadOnlyList<ManifestRow> carried;
            Dictionary<string, DeviceRow> inFlight;
            try
            {
                carried = ReadCarried(manifest, request);
                inFlight = ProvisionJournal.ReadEarlier(manifest);
                if (inFlight.Values.FirstOrDefault(row => !request.Holds(row)) is { } stranger)
                {
                    throw new ClaimFileException(
                        $"{ProvisionJournal.PathFor(manifest)} holds device {stranger.DevEui} of an unfinished run of another range: rerun that command to finish it, or choose another --out.");
                }
            }
            catch (Exception e) when (e is ClaimFileException or IOException or UnauthorizedAccessException)
            {
                return console.Stop(e.Message);
            }
            ProvisionJournal journal;
            try
            {
                journal = ProvisionJournal.Open(manifest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return console.Stop($"Cannot write {ProvisionJournal.PathFor(manifest)}: {e.Message}");
            }
            using (journal)
            {
                var done = carried.Select(row => row.DevEui).ToHashSet(StringComparer.Ordinal);
                var rows = request.DevEuis().Where(devEui => !done.Contains(devEui))
                    .Select(devEui => inFlight.GetValueOrDefault(devEui) ?? request.Fresh(devEui));
                var work = new ProvisionRun.Work(
                    $"{request.Count:N0} devices from {request.First} (JoinEUI {request.JoinEui})", rows, request.Count - carried.Count, carried,
                    batch => journal.Append(batch.Where(row => !inFlight.ContainsKey(row.DevEui))));
                var outputs = new ProvisionRun.Outputs(manifest, parseResult.GetValue(provision.Labels), parseResult.GetValue(provision.Report));
                var settings = new ProvisionRun.Settings(parseResult.GetValue(provision.BatchSize), parseResult.GetValue(provision.Parallel), parseResult.GetValue(options.Json));
                var (exitCode, end) = await ProvisionRun.RunAsync(console, client, work, outputs, settings, cancellationToken);
                if (end == BatchRunEnd.Completed)
                {
                    journal.Finish();
                }
                return exitCode;
            }
        });
        return command;
    }

    /// <summary>The devices an earlier run put in the manifest; they must be of this range, or the manifest is another's.</summary>
    /// <exception cref="ClaimFileException">The manifest cannot be read or lists other devices.</exception>
    private static List<ManifestRow> ReadCarried(FileInfo manifest, ProvisionRequest request)
    {
        var carried = new List<ManifestRow>();
        if (!manifest.Exists)
        {
            return carried;
        }
        foreach (var (row, qr) in DeviceFile.Read(manifest.FullName))
        {
            if (!row.IsSendable || row.ClaimCode is null || qr is null)
            {
                throw new ClaimFileException($"{manifest.FullName} exists and is not a manifest of this tool ({row.Problem ?? "a row lacks its claim code or QR code"}): choose another --out.");
            }
            if (!request.Holds(row))
            {
                throw new ClaimFileException(
                    $"{manifest.FullName} lists device {row.DevEui} (JoinEUI {row.JoinEui}), which is not in this range: choose another --out, or rerun the command that made it.");
            }
            carried.Add(new ManifestRow(row.DevEui, row.JoinEui!, row.MacVersion!, row.AppKey, row.NwkKey, row.ClaimCode, qr));
        }
        return carried;
    }

    /// <summary>The range and the fields every device of it shares.</summary>
    private sealed record ProvisionRequest(JoinEui JoinEui, DevEui First, int Count, MacVersion MacVersion, string? VendorId, string? VendorProfileId)
    {
        public IEnumerable<string> DevEuis()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return new DevEui(First.Value + (ulong)i).ToString();
            }
        }

        public bool Holds(DeviceRow row) =>
            row.JoinEui == JoinEui.ToString()
            && Lorawan.DevEui.TryParse(row.DevEui, out var devEui, out _)
            && devEui.Value - First.Value < (ulong)Count;

        /// <summary>A device with root keys and a claim code made here, from the system's cryptographic generator.</summary>
        public DeviceRow Fresh(string devEui) => new(
            0, devEui, JoinEui.ToString(), MacVersion.ToString(),
            AppKey: RandomKey(),
            NwkKey: MacVersion.IsLorawan11 ? RandomKey() : null,
            // 16 of 36 symbols: 82 bits, as the server makes them.
            ClaimCode: RandomNumberGenerator.GetString(ClaimCodeAlphabet, ClaimCodeLength),
            VendorId: VendorId,
            VendorProfileId: VendorProfileId)
        {
            KeysMadeHere = true,
        };

        private static string RandomKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    }

    private sealed class ProvisionOptions
    {
        public Option<JoinEui> JoinEui { get; } = Eui<JoinEui>("--join-eui", "The devices' JoinEUI (this Join Server's).", Lorawan.JoinEui.TryParse);

        public Option<DevEui> DevEuiStart { get; } = Eui<DevEui>("--dev-eui-start", "The first DevEUI of the range.", Lorawan.DevEui.TryParse);

        public Option<int> Count { get; } = CreateCount();

        public Option<MacVersion> MacVersion { get; } = CreateMacVersion();

        public Option<FileInfo> Out { get; } = new("--out", "-o")
        {
            Description = "The manifest to write: .csv or .json, one row per device (dev_eui, join_eui, mac_version, app_key, nwk_key, claim_authentication_code, qr_code).",
            Required = true,
        };

        public Option<DirectoryInfo> Labels { get; } = new("--labels") { Description = "A folder for the labels: <DEVEUI>.png and .svg per device, and labels.html, a printable A4 sheet." };

        public Option<string> VendorId { get; } = Hex4("--vendor-id", "The TR005 VendorID (4 hex digits) put in the QR codes.");

        public Option<string> VendorProfileId { get; } = Hex4("--vendor-profile-id", "The TR005 VendorProfileID (4 hex digits) put in the QR codes.");

        public Option<FileInfo> Report { get; } = new("--report") { Description = "Write what became of each device to this CSV (dev_eui,status,error)." };

        public Option<int> BatchSize { get; } = DeviceOptions.BatchSize();

        public Option<int> Parallel { get; } = DeviceOptions.Parallel();

        public IEnumerable<Option> All => [JoinEui, DevEuiStart, Count, MacVersion, Out, Labels, VendorId, VendorProfileId, Report, BatchSize, Parallel];

        public ProvisionRequest Read(ParseResult parseResult) => new(
            parseResult.GetValue(JoinEui), parseResult.GetValue(DevEuiStart), parseResult.GetValue(Count), parseResult.GetValue(MacVersion),
            parseResult.GetValue(VendorId)?.Trim().ToUpperInvariant(), parseResult.GetValue(VendorProfileId)?.Trim().ToUpperInvariant());

        public void Validate(System.CommandLine.Parsing.CommandResult result)
        {
            if (result.GetValue(Out) is { } file && !ManifestWriter.HasKnownExtension(file))
            {
                result.AddError($"--out must end in .csv or .json, not '{file.Extension}'.");
            }
            var start = result.GetValue(DevEuiStart);
            var count = result.GetValue(Count);
            if (count > 0 && ulong.MaxValue - start.Value < (ulong)(count - 1))
            {
                result.AddError($"--dev-eui-start {start} with --count {count} runs past FFFFFFFFFFFFFFFF.");
            }
        }

        private static Option<T> Eui<T>(string name, string description, DeviceOptions.TryParseEui<T> parse)
        {
            var option = DeviceOptions.Eui(name, description, parse);
            option.Required = true;
            return option;
        }

        private static Option<int> CreateCount()
        {
            var option = new Option<int>("--count", "-n") { Description = $"How many devices: DevEUIs from --dev-eui-start up (1 to {MaxCount:N0}).", Required = true };
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() is < 1 or > MaxCount)
                {
                    result.AddError(string.Create(CultureInfo.InvariantCulture, $"--count must be between 1 and {MaxCount}."));
                }
            });
            return option;
        }

        private static Option<MacVersion> CreateMacVersion() => new("--mac-version")
        {
            Description = "The devices' LoRaWAN MAC version: 1.0.0 to 1.0.4, or 1.1 (1.1 devices get a NwkKey too).",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Lorawan.MacVersion.TryParse(text, out var version, out var error))
                {
                    return version;
                }
                result.AddError($"--mac-version '{text}': {error} Use 1.0.0 to 1.0.4, or 1.1.");
                return default;
            },
        };

        private static Option<string> Hex4(string name, string description)
        {
            var option = new Option<string>(name) { Description = description };
            option.Validators.Add(result =>
            {
                var text = result.GetValueOrDefault<string>()?.Trim() ?? "";
                if (text.Length != 4 || !ushort.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
                {
                    result.AddError($"{name} must be 4 hex digits, not '{text}'.");
                }
            });
            return option;
        }
    }
}

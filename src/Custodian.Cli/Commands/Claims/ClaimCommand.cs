using System.CommandLine;
using System.CommandLine.Parsing;
using Custodian.Cli.Api;
using Custodian.Cli.Output;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// <c>custodian claim</c>: an owner claims devices, one (<c>--qr</c>, <c>--join-eui --dev-eui --code</c>,
/// <c>--image</c>) or a whole file (<c>--file</c>), for a home network.
/// </summary>
internal static class ClaimCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var claim = new ClaimOptions();
        var command = new Command("claim", "Claim devices you bought: by QR code, by EUIs and claim code, from a photo of the QR code, or from a file.");
        foreach (var option in claim.All)
        {
            command.Options.Add(option);
        }
        command.Validators.Add(claim.Validate);
        ServerCommand.SetAction(command, console, options, parseResult => (client, cancellationToken) =>
        {
            var home = new ClaimHome(parseResult.GetValue(claim.NetId), Trimmed(parseResult.GetValue(claim.NsId)), Trimmed(parseResult.GetValue(claim.AsId)));
            var json = parseResult.GetValue(options.Json);
            if (parseResult.GetValue(claim.File) is { } file)
            {
                var settings = new FileClaim.Settings(file, parseResult.GetValue(claim.Report), parseResult.GetValue(claim.BatchSize), parseResult.GetValue(claim.Parallel), json);
                return FileClaim.RunAsync(console, client, home, settings, cancellationToken);
            }
            if (parseResult.GetValue(claim.Image) is { } image)
            {
                return SingleClaim.RunImageAsync(console, client, home, image, json, cancellationToken);
            }
            var row = parseResult.GetValue(claim.Qr) is { } qr
                ? new ClaimRow(0, "", null, null, qr.Trim(), null)
                : new ClaimRow(0, parseResult.GetValue(claim.DevEui).ToString(), parseResult.GetValue(claim.JoinEui).ToString(), parseResult.GetValue(claim.Code)!.Trim(), null, null);
            return SingleClaim.RunAsync(console, client, home, row, json, cancellationToken);
        });
        return command;
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The command's options and the rules between them (exactly one way to name the devices).</summary>
    private sealed class ClaimOptions
    {
        public Option<string> Qr { get; } = new("--qr") { Description = "The device's QR code text (TR005, e.g. LW:D0:…), as a scanner reads it." };

        public Option<JoinEui> JoinEui { get; } = DeviceOptions.Eui<JoinEui>("--join-eui", "The device's JoinEUI (with --dev-eui and --code).", Lorawan.JoinEui.TryParse);

        public Option<DevEui> DevEui { get; } = DeviceOptions.Eui<DevEui>("--dev-eui", "The device's DevEUI (with --join-eui and --code).", Lorawan.DevEui.TryParse);

        public Option<string> Code { get; } = new("--code") { Description = "The claim code (owner token) printed on the device's label (with --join-eui and --dev-eui)." };

        public Option<FileInfo> Image { get; } = new("--image") { Description = "A photo or scan of the device's QR code (PNG, JPEG, WebP…)." };

        public Option<FileInfo> File { get; } = new("--file") { Description = "Claim every device in a CSV or JSON file (see docs/cli.md)." };

        public Option<NetId> NetId { get; } = CreateNetId();

        public Option<string> NsId { get; } = new("--ns-id") { Description = "The home Network Server's NSID, when the network has several." };

        public Option<string> AsId { get; } = new("--as-id") { Description = "The Application Server that receives the devices' AppSKeys." };

        public Option<FileInfo> Report { get; } = new("--report") { Description = "With --file: write what became of each row to this CSV (dev_eui,status,error)." };

        public Option<int> BatchSize { get; } = DeviceOptions.Bounded("--batch-size", "With --file: devices per request", 1_000, DeviceOptions.MaxBatchSize);

        public Option<int> Parallel { get; } = DeviceOptions.Bounded("--parallel", "With --file: requests in flight at once", 4, DeviceOptions.MaxParallel);

        public IEnumerable<Option> All => [Qr, JoinEui, DevEui, Code, Image, File, NetId, NsId, AsId, Report, BatchSize, Parallel];

        public void Validate(CommandResult result)
        {
            bool Given(Option option) => result.GetResult(option) is { Implicit: false };
            var euiOptions = new Option[] { JoinEui, DevEui, Code };
            var modes = new[] { Given(Qr), euiOptions.Any(Given), Given(Image), Given(File) }.Count(given => given);
            if (modes != 1)
            {
                result.AddError(modes == 0
                    ? "Say which devices to claim: --qr TEXT, --join-eui JE --dev-eui DE --code CODE, --image FILE or --file FILE."
                    : "Give only one of --qr, --join-eui/--dev-eui/--code, --image and --file.");
                return;
            }
            if (euiOptions.Any(Given) && !euiOptions.All(Given))
            {
                result.AddError($"--join-eui, --dev-eui and --code go together; missing: {string.Join(", ", euiOptions.Where(o => !Given(o)).Select(o => o.Name))}.");
            }
            if (!Given(File) && (Given(Report) || Given(BatchSize) || Given(Parallel)))
            {
                result.AddError("--report, --batch-size and --parallel apply to --file only.");
            }
        }

        private static Option<NetId> CreateNetId() => new("--net-id")
        {
            Description = "The home network's NetID (6 hex digits): the network your devices will join through.",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Lorawan.NetId.TryParse(text.Trim(), out var netId, out var error))
                {
                    return netId;
                }
                result.AddError($"--net-id '{text}' is not a NetID (6 hex digits): {error}");
                return default;
            },
        };
    }
}

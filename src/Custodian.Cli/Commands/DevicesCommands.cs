using System.CommandLine;
using Custodian.Cli.Api;
using Custodian.Cli.Commands.Devices;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian devices …</c>: a tenant's devices.</summary>
internal static class DevicesCommands
{
    public static Command Create(CliConsole console, CliOptions options) =>
        new("devices", "Provision, import and list devices; issue a new claim code.")
        {
            ProvisionCommand.Create(console, options),
            ImportCommand.Create(console, options),
            DeviceListCommand.Create(console, options),
            ClaimCodeCommand.Create(console, options),
        };
}

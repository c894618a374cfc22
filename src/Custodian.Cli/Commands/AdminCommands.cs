using System.CommandLine;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian admin …</c>: what the server's administrator sets up, with an admin API key.</summary>
internal static class AdminCommands
{
    public static Command Create(CliConsole console, CliOptions options) =>
        new("admin", "Set up tenants and their API keys, and the networks and application servers that use Backend Interfaces (needs an admin key).")
        {
            AdminTenantCommands.CreateTenants(console, options),
            AdminTenantCommands.CreateKeys(console, options),
            AdminPeerCommands.CreateNetworks(console, options),
            AdminPeerCommands.CreateApplicationServers(console, options),
            AdminMaintenanceCommands.CreateKek(console, options),
            AdminMaintenanceCommands.CreateBackup(console, options),
        };
}

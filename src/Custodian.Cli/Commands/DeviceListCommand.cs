using System.CommandLine;
using System.Globalization;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>custodian devices list [--owned] [--limit N]</c>: the devices the caller made (its provisioned devices), or
/// with <c>--owned</c> the devices it has claimed; read page by page, in DevEUI order.
/// </summary>
internal static class DeviceListCommand
{
    private static readonly Column[] MadeColumns =
    [
        Column.Field("DEVEUI", "devEui"),
        Column.Field("JOINEUI", "joinEui"),
        Column.Field("MAC", "macVersion"),
        Column.Field("STATE", "state"),
        Column.Field("OWNER", "ownerTenantId"),
        Column.Field("HOME NETID", "homeNetId"),
        Column.Time("CREATED", "createdAt"),
    ];

    private static readonly Column[] OwnedColumns =
    [
        Column.Field("DEVEUI", "devEui"),
        Column.Field("JOINEUI", "joinEui"),
        Column.Field("HOME NETID", "homeNetId"),
        Column.Field("HOME NSID", "homeNsId"),
        Column.Field("AS-ID", "asId"),
        Column.Field("LOCKED", "locked"),
        Column.Time("CLAIMED", "claimedAt"),
    ];

    public static Command Create(CliConsole console, CliOptions options)
    {
        var owned = new Option<bool>("--owned")
        {
            Description = "List the devices you have claimed (as an owner) instead of those you provisioned (as a maker).",
        };
        var limit = new Option<int?>("--limit") { Description = "Show at most this many devices (default: all)." };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });
        var command = new Command("list", "List the devices you provisioned, or with --owned those you claimed, in DevEUI order.") { owned, limit };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var isOwned = parseResult.GetValue(owned);
            var (path, items, columns) = isOwned ? ("api/v1/claims", "claims", OwnedColumns) : ("api/v1/devices", "devices", MadeColumns);
            var (devices, more) = await Pages.ReadAllAsync(client, path, items, parseResult.GetValue(limit), cancellationToken);
            ListOutput.Write(console, parseResult.GetValue(options.Json), devices, columns,
                isOwned ? "You have not claimed any devices." : "You have not provisioned any devices.");
            if (more)
            {
                console.Error.WriteLine($"Showing the first {devices.Count.ToString(CultureInfo.InvariantCulture)} devices; there may be more (raise --limit).");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian status DEVEUI</c> and <c>custodian unclaim DEVEUI [--new-code]</c>: one device the caller owns.</summary>
internal static class ClaimStatusCommands
{
    public static Command CreateStatus(CliConsole console, CliOptions options)
    {
        var devEui = DevEuiArgument.Create();
        var command = new Command("status", "Show the claim on a device you own: its home network, AS and Join Server.") { devEui };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var status = await client.GetAsync($"api/v1/claims/{parseResult.GetValue(devEui)}", cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, status);
            }
            else
            {
                FieldList.Write(console.Out, status!.Value, Labels);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command CreateUnclaim(CliConsole console, CliOptions options)
    {
        var devEui = DevEuiArgument.Create();
        var newCode = new Option<bool>("--new-code")
        {
            Description = "Give the device a new claim code, printed once, to hand over with it (the old code stops working).",
        };
        var command = new Command("unclaim", "Release a device you own: its network and AS lose it, and it can be claimed again.") { devEui, newCode };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var eui = parseResult.GetValue(devEui);
            var rotate = parseResult.GetValue(newCode);
            var answer = await client.DeleteAsync($"api/v1/claims/{eui}{(rotate ? "?newClaimCode=true" : "")}", cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, answer ?? JsonSerializer.SerializeToElement(new { devEui = eui.ToString() }));
            }
            else
            {
                console.Out.WriteLine($"Unclaimed {eui}.");
                if (answer is { } rotated && rotated.TryGetProperty("claimCode", out var code))
                {
                    console.Out.WriteLine($"New claim code: {code.GetString()} (shown once; the old code no longer claims it)");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["devEui"] = "DevEUI",
        ["joinEui"] = "JoinEUI",
        ["homeNetId"] = "Home NetID",
        ["homeNsId"] = "Home NSID",
        ["asId"] = "AS-ID",
        ["locked"] = "Locked",
        ["claimedAt"] = "Claimed at",
        ["joinServer"] = "Join Server",
    };
}

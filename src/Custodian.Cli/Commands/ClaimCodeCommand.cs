using System.CommandLine;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>custodian devices claim-code DEVEUI</c>: the maker issues a new claim code for a device nobody owns (a lost
/// label, or an owner's rotated code that was never read). The code and QR text are printed once.
/// </summary>
internal static class ClaimCodeCommand
{
    public static Command Create(CliConsole console, CliOptions options)
    {
        var devEui = DevEuiArgument.Create();
        var command = new Command("claim-code", "Issue a new claim code for one of your devices that nobody owns; every earlier code stops working.") { devEui };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var eui = parseResult.GetValue(devEui);
            var answer = (await client.PostAsync($"api/v1/devices/{eui}/claim-code", new { }, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, answer);
                return ExitCodes.Success;
            }
            console.Out.WriteLine($"Device {eui} has a new claim code; earlier codes no longer claim it.");
            console.Out.WriteLine($"Claim code: {FieldList.Cell(answer, "claimCode")}");
            console.Out.WriteLine($"QR code text: {FieldList.Cell(answer, "qr")}");
            console.Out.WriteLine("Keep them now: they are shown once (print the label with 'custodian qr render').");
            return ExitCodes.Success;
        });
        return command;
    }
}

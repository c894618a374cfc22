using System.Net;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Images;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// One device: sent as a batch of one, whose per-item status tells "claimed" from "already claimed by you", then its
/// claim status read back for the home network and the Join Server that holds it.
/// </summary>
internal static class SingleClaim
{
    public static Task<int> RunImageAsync(CliConsole console, CustodianClient client, ClaimHome home, FileInfo image, bool json, CancellationToken cancellationToken)
    {
        if (!image.Exists)
        {
            return Task.FromResult(console.Stop($"No such file: {image.FullName}."));
        }
        // The decoded text carries the claim code: it is sent, never printed.
        return QrImageDecoder.TryDecode(image.FullName, out var text, out var error)
            ? RunAsync(console, client, home, new ClaimRow(0, "", null, null, text.Trim(), null), json, cancellationToken)
            : Task.FromResult(console.Fail(error));
    }

    public static async Task<int> RunAsync(CliConsole console, CustodianClient client, ClaimHome home, ClaimRow row, bool json, CancellationToken cancellationToken)
    {
        var batch = await new ClaimBatch([row]).SendAsync(client, home, cancellationToken);
        if (batch.StopReason is { } reason)
        {
            return console.Stop(reason);
        }
        var outcome = batch.Outcomes[0];
        var devEui = outcome.DevEui ?? row.DevEui;
        if (outcome.Status == ClaimStatuses.Failed)
        {
            if (json)
            {
                CliJson.Write(console.Out, new { devEui = NullIfEmpty(devEui), status = outcome.Status, error = outcome.Error });
            }
            return console.Fail(devEui.Length > 0 ? $"{devEui}: {outcome.Error}" : outcome.Error ?? "The claim failed.");
        }
        JsonElement status;
        try
        {
            status = (await client.GetAsync($"api/v1/claims/{devEui}", cancellationToken))!.Value;
        }
        catch (ApiProblemException e) when (e.Problem.Status == HttpStatusCode.Forbidden)
        {
            // The claim is made; only its details are out of this key's reach.
            status = JsonSerializer.SerializeToElement(new { devEui });
            console.Error.WriteLine($"The claim's details are not shown: {e.Problem}");
        }
        if (json)
        {
            var fields = new Dictionary<string, JsonElement> { ["status"] = JsonSerializer.SerializeToElement(outcome.Status) };
            foreach (var field in status.EnumerateObject())
            {
                fields[field.Name] = field.Value;
            }
            CliJson.Write(console.Out, fields);
        }
        else
        {
            WriteText(console.Out, outcome.Status, status);
        }
        return ExitCodes.Success;
    }

    private static void WriteText(TextWriter output, string outcome, JsonElement status)
    {
        var devEui = Text(status, "devEui");
        output.WriteLine(outcome == ClaimStatuses.Claimed ? $"Claimed {devEui}." : $"{devEui} was already claimed by you.");
        if (Text(status, "homeNetId") is not { } netId)
        {
            return;
        }
        output.WriteLine($"Home network:       NetID {netId}{(Text(status, "homeNsId") is { } nsId ? $", NSID {nsId}" : "")}");
        output.WriteLine($"Application Server: {Text(status, "asId") ?? "-"}");
        output.WriteLine($"Join Server:        {Text(status, "joinServer") ?? "-"}");
        output.WriteLine($"JoinEUI:            {Text(status, "joinEui") ?? "-"}");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

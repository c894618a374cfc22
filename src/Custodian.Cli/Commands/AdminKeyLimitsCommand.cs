using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>custodian admin keys limits TENANT KEYID [--requests-per-minute N|default] [--wrong-codes-per-hour N|default]</c>:
/// gives one API key its own claim limits (<c>PATCH /api/v1/tenants/{id}/api-keys/{keyId}</c>); a limit left out stays
/// as it is, <c>default</c> goes back to the server's.
/// </summary>
internal static class AdminKeyLimitsCommand
{
    private const string Default = "default";

    public static Command Create(CliConsole console, CliOptions options)
    {
        var tenant = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var keyId = new Argument<string>("KEYID") { Description = "The key's id (key_…), as 'admin keys list' shows it." };
        var perMinute = new Option<string>("--requests-per-minute") { Description = "Claim requests per minute for this key, or 'default'." };
        var wrongCodes = new Option<string>("--wrong-codes-per-hour") { Description = "Wrong claim codes per hour for this key, or 'default'." };
        var command = new Command("limits", "Set an API key's own claim limits, e.g. for the one key of a whole The Things Stack deployment.")
        {
            tenant, keyId, perMinute, wrongCodes,
        };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var limits = new JsonObject();
            foreach (var (option, field) in new[] { (perMinute, "requestsPerMinute"), (wrongCodes, "wrongCodesPerHour") })
            {
                if (parseResult.GetValue(option) is not { } text)
                {
                    continue;
                }
                if (!TryRead(text, out var value))
                {
                    return console.Stop($"{option.Name}: expected a whole number from 1 or 'default', got '{text}'.");
                }
                limits[field] = value;
            }
            if (limits.Count == 0)
            {
                return console.Stop("Give --requests-per-minute and/or --wrong-codes-per-hour (a number, or 'default').");
            }
            var path = $"api/v1/tenants/{Uri.EscapeDataString(parseResult.GetValue(tenant)!)}/api-keys/{Uri.EscapeDataString(parseResult.GetValue(keyId)!)}";
            var body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["limits"] = limits });
            var key = (await client.SendAsync(HttpMethod.Patch, path, body, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, key);
                return ExitCodes.Success;
            }
            var now = key.GetProperty("limits");
            console.Out.WriteLine(
                $"API key {parseResult.GetValue(keyId)}: requests per minute {Shown(now, "requestsPerMinute")}, wrong codes per hour {Shown(now, "wrongCodesPerHour")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool TryRead(string text, out JsonNode? value)
    {
        value = null;
        if (string.Equals(text, Default, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1)
        {
            value = number;
            return true;
        }
        return false;
    }

    private static string Shown(JsonElement limits, string name) =>
        limits.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32().ToString(CultureInfo.InvariantCulture) : Default;
}

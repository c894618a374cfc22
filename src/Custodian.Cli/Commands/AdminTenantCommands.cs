using System.CommandLine;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian admin tenants …</c> and <c>custodian admin keys …</c>: tenants, and the API keys they act with.</summary>
internal static class AdminTenantCommands
{
    private static readonly Column[] TenantColumns =
    [
        Column.Field("ID", "id"),
        Column.Field("NAME", "name"),
        Column.Field("DEVEUI BLOCKS", "devEuiPrefixes"),
        Column.Time("CREATED", "createdAt"),
    ];

    private static readonly Column[] KeyColumns =
    [
        Column.Field("ID", "id"),
        Column.Field("NAME", "name"),
        Column.Field("RIGHTS", "rights"),
        Column.Field("CERTIFICATE SHA-256", "certificateThumbprint"),
        new("REQ/MIN", key => Limit(key, "requestsPerMinute")),
        new("WRONG CODES/H", key => Limit(key, "wrongCodesPerHour")),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command CreateTenants(CliConsole console, CliOptions options) =>
        new("tenants", "List and create tenants: the makers and owners that hold devices; set a maker's DevEUI blocks.")
        {
            ListTenants(console, options),
            CreateTenant(console, options),
            SetBlocks(console, options),
        };

    public static Command CreateKeys(CliConsole console, CliOptions options) =>
        new("keys", "List, create and revoke a tenant's API keys, and set a key's own limits.")
        {
            ListKeys(console, options),
            CreateKey(console, options),
            RevokeKey(console, options),
            AdminKeyLimitsCommand.Create(console, options),
        };

    private static Command ListTenants(CliConsole console, CliOptions options)
    {
        var command = new Command("list", "List every tenant.");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var (tenants, _) = await Pages.ReadAllAsync(client, "api/v1/tenants", "tenants", cap: null, cancellationToken);
            ListOutput.Write(console, parseResult.GetValue(options.Json), tenants, TenantColumns, "No tenants.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTenant(CliConsole console, CliOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tenant's id: 2 to 64 characters of a-z, 0-9, '-' and '_'." };
        var name = new Option<string>("--name") { Description = "A name for people (default: the id)." };
        var prefixes = DevEuiPrefixOption();
        var command = new Command("create", "Create a tenant; then give it an API key with 'admin keys create'.") { id, name, prefixes };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var tenantId = parseResult.GetValue(id)!;
            var tenant = await client.PostAsync(
                "api/v1/tenants",
                new { id = tenantId, name = parseResult.GetValue(name) ?? tenantId, devEuiPrefixes = parseResult.GetValue(prefixes) ?? [] },
                cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, tenant);
            }
            else
            {
                console.Out.WriteLine($"Created tenant {tenantId} ({Text(tenant, "name")}){Blocks(tenant)}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary><c>admin tenants set-blocks TENANT --dev-eui-prefix …</c>: replaces a maker's DevEUI blocks (<c>--none</c> takes them all away).</summary>
    private static Command SetBlocks(CliConsole console, CliOptions options)
    {
        var tenant = TenantArgument();
        var prefixes = DevEuiPrefixOption();
        var none = new Option<bool>("--none") { Description = "Take every block away: the tenant provisions nothing more." };
        var command = new Command("set-blocks", "Set the DevEUI blocks a maker tenant may provision in, replacing those it had.") { tenant, prefixes, none };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var blocks = parseResult.GetValue(prefixes) ?? [];
            if (blocks.Length == 0 && !parseResult.GetValue(none))
            {
                console.Error.WriteLine("Give the blocks with --dev-eui-prefix EUI/LENGTH (repeatable), or --none to take every block away.");
                return ExitCodes.Usage;
            }
            var tenantId = parseResult.GetValue(tenant)!;
            var body = JsonSerializer.SerializeToUtf8Bytes(new { devEuiPrefixes = blocks }, CliJson.Options);
            var updated = await client.SendAsync(HttpMethod.Patch, $"api/v1/tenants/{Uri.EscapeDataString(tenantId)}", body, cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, updated);
            }
            else
            {
                console.Out.WriteLine(blocks.Length == 0 ? $"Tenant {tenantId} holds no DevEUI block." : $"Tenant {tenantId}{Blocks(updated)}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string[]> DevEuiPrefixOption() => new("--dev-eui-prefix")
    {
        Description = "A DevEUI block the tenant may provision in, as EUI/LENGTH (e.g. 0018B20000000000/40); repeat for several.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static string Blocks(JsonElement? tenant) =>
        tenant is { } record && FieldList.Cell(record, "devEuiPrefixes") is { Length: > 0 } blocks ? $" with DevEUI blocks {blocks}" : "";

    private static Command ListKeys(CliConsole console, CliOptions options)
    {
        var tenant = TenantArgument();
        var command = new Command("list", "List a tenant's API keys (never the keys themselves: the server keeps only their hashes).") { tenant };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var keys = await Pages.ReadOneAsync(client, $"{KeysPath(parseResult.GetValue(tenant)!)}", "apiKeys", cancellationToken);
            ListOutput.Write(console, parseResult.GetValue(options.Json), keys, KeyColumns, $"Tenant {parseResult.GetValue(tenant)} has no API keys.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateKey(CliConsole console, CliOptions options)
    {
        var tenant = TenantArgument();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. 'factory line 3'.", Required = true };
        var rights = new Option<string>("--rights")
        {
            Description = "Comma-separated rights: admin, devices:provision, devices:read, devices:claim, devices:unclaim, events:read.",
            Required = true,
        };
        var certificate = AdminOptions.ClientCertificate("the key's holder");
        var command = new Command("create", "Create an API key for a tenant; the key is printed once.") { tenant, name, rights, certificate };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            if (!AdminOptions.TryReadPem(console, parseResult.GetValue(certificate), out var pem, out var exitCode))
            {
                return exitCode;
            }
            var tenantId = parseResult.GetValue(tenant)!;
            var rightNames = parseResult.GetValue(rights)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var key = (await client.PostAsync(KeysPath(tenantId), new { name = parseResult.GetValue(name), rights = rightNames, clientCertificate = pem }, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, key);
                return ExitCodes.Success;
            }
            console.Out.WriteLine($"Created API key {Text(key, "id")} ({Text(key, "name")}) for tenant {tenantId} with rights {FieldList.Cell(key, "rights")}.");
            if (FieldList.Cell(key, "certificateThumbprint") is { } thumbprint)
            {
                console.Out.WriteLine($"Its client certificate has SHA-256 {thumbprint}.");
            }
            AdminOptions.WriteSecret(console, "API key", Text(key, "key"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeKey(CliConsole console, CliOptions options)
    {
        var tenant = TenantArgument();
        var keyId = new Argument<string>("KEYID") { Description = "The key's id (key_…), as 'admin keys list' shows it." };
        var command = new Command("revoke", "Revoke an API key: it stops working at once.") { tenant, keyId };
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var (tenantId, id) = (parseResult.GetValue(tenant)!, parseResult.GetValue(keyId)!);
            await client.DeleteAsync($"{KeysPath(tenantId)}/{Uri.EscapeDataString(id)}", cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, new { tenantId, id, revoked = true });
            }
            else
            {
                console.Out.WriteLine($"Revoked API key {id} of tenant {tenantId}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    // A key's own limit, or "default" (the server's).
    private static string Limit(JsonElement key, string name) =>
        key.TryGetProperty("limits", out var limits) && limits.ValueKind == JsonValueKind.Object && limits.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number
            ? value.GetRawText()
            : "default";

    private static Argument<string> TenantArgument() => new("TENANT") { Description = "The tenant's id." };

    private static string KeysPath(string tenantId) => $"api/v1/tenants/{Uri.EscapeDataString(tenantId)}/api-keys";

    private static string Text(JsonElement? record, string name) => record is { } value ? FieldList.Cell(value, name) ?? "-" : "-";
}

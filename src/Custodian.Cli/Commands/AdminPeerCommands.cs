using System.CommandLine;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Output;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>custodian admin networks …</c> and <c>custodian admin application-servers …</c>: the Backend Interfaces
/// peers. Each gets a bearer token when registered, printed once.
/// </summary>
internal static class AdminPeerCommands
{
    private static readonly Column[] NetworkColumns =
    [
        Column.Field("NETID", "netId"),
        Column.Field("NSID", "nsId"),
        Column.Field("NAME", "name"),
        Column.Field("KEK LABEL", "kekLabel"),
        Column.Field("CERTIFICATE SHA-256", "certificateThumbprint"),
        Column.Time("CREATED", "createdAt"),
    ];

    private static readonly Column[] ApplicationServerColumns =
    [
        Column.Field("AS-ID", "asId"),
        Column.Field("KEK LABEL", "kekLabel"),
        Column.Field("CERTIFICATE SHA-256", "certificateThumbprint"),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command CreateNetworks(CliConsole console, CliOptions options) =>
        new Command("networks", "List, register, rotate and remove networks (a NetID, optionally one Network Server's NSID) that may ask for join answers and home devices.")
        {
            ListCommand(console, options, "Networks", "api/v1/networks", "networks", NetworkColumns, "No networks are registered."),
            CreateNetwork(console, options),
        }.With(AdminPeerCredentialCommands.ForNetworks(console, options));

    public static Command CreateApplicationServers(CliConsole console, CliOptions options) =>
        new Command("application-servers", "List, register, rotate and remove application servers (AS-ID) that may fetch devices' AppSKeys.")
        {
            ListCommand(console, options, "Application servers", "api/v1/application-servers", "applicationServers", ApplicationServerColumns, "No application servers are registered."),
            CreateApplicationServer(console, options),
        }.With(AdminPeerCredentialCommands.ForApplicationServers(console, options));

    private static Command ListCommand(CliConsole console, CliOptions options, string what, string path, string itemsName, Column[] columns, string none)
    {
        var command = new Command("list", $"List every registered {what.ToLowerInvariant()[..^1]} (never its token or KEK).");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var peers = await Pages.ReadOneAsync(client, path, itemsName, cancellationToken);
            ListOutput.Write(console, parseResult.GetValue(options.Json), peers, columns, none);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateNetwork(CliConsole console, CliOptions options)
    {
        var netId = new Option<string>("--net-id") { Description = "The network's NetID, 6 hex digits.", Required = true };
        netId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !NetId.TryParse(text.Trim(), out _, out var error))
            {
                result.AddError($"--net-id: {error}");
            }
        });
        var nsId = new Option<string>("--ns-id") { Description = "One Network Server of the network (NSID, an EUI-64), when the network runs several." };
        var name = new Option<string>("--name") { Description = "A name for people." };
        var (kekLabel, kek) = (AdminOptions.KekLabel(), AdminOptions.Kek());
        var certificate = AdminOptions.ClientCertificate("the Network Server");
        var appSKeyMode = new Option<string>("--app-s-key-mode")
        {
            Description = "Who receives the AppSKey: join-server (default: a SessionKeyID, the application server fetches it), network (under this network's KEK, no SessionKeyID) or network-clear (in clear, no SessionKeyID: what ChirpStack needs to decrypt payloads itself).",
        };
        appSKeyMode.AcceptOnlyFromAmong("join-server", "network", "network-clear");
        var command = new Command("create", "Register a network; its bearer token is printed once.") { netId, nsId, name, kekLabel, kek, certificate, appSKeyMode };
        AdminOptions.RequireKekPair(command, kekLabel, kek);
        var configFor = ConfigForOptions.Add(command, "tts", "chirpstack");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            if (!AdminOptions.TryReadPem(console, parseResult.GetValue(certificate), out var pem, out var exitCode))
            {
                return exitCode;
            }
            var body = new
            {
                netId = parseResult.GetValue(netId)!.Trim(),
                nsId = parseResult.GetValue(nsId),
                name = parseResult.GetValue(name),
                kek = AdminOptions.KekBody(parseResult, kekLabel, kek),
                clientCertificate = pem,
                appSKeyMode = parseResult.GetValue(appSKeyMode),
            };
            var network = (await client.PostAsync("api/v1/networks", body, cancellationToken))!.Value;
            var exit = WriteRegistered(console, parseResult.GetValue(options.Json), network, $"network {Describe(network, "netId", "nsId")}");
            configFor.Write(console, parseResult, network, parseResult.GetValue(kek));
            return exit;
        });
        return command;
    }

    private static Command CreateApplicationServer(CliConsole console, CliOptions options)
    {
        var asId = new Option<string>("--as-id") { Description = "The application server's AS-ID, as it names itself in Backend Interfaces messages.", Required = true };
        var (kekLabel, kek) = (AdminOptions.KekLabel(), AdminOptions.Kek());
        var certificate = AdminOptions.ClientCertificate("the application server");
        var command = new Command("create", "Register an application server; its bearer token is printed once.") { asId, kekLabel, kek, certificate };
        AdminOptions.RequireKekPair(command, kekLabel, kek);
        var configFor = ConfigForOptions.Add(command, "tts");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            if (!AdminOptions.TryReadPem(console, parseResult.GetValue(certificate), out var pem, out var exitCode))
            {
                return exitCode;
            }
            var body = new { asId = parseResult.GetValue(asId), kek = AdminOptions.KekBody(parseResult, kekLabel, kek), clientCertificate = pem };
            var server = (await client.PostAsync("api/v1/application-servers", body, cancellationToken))!.Value;
            var exit = WriteRegistered(console, parseResult.GetValue(options.Json), server, $"application server {Describe(server, "asId", null)}");
            configFor.Write(console, parseResult, server, parseResult.GetValue(kek));
            return exit;
        });
        return command;
    }

    /// <summary>The server's answer for scripts; for people a sentence, then the token on its own line.</summary>
    private static int WriteRegistered(CliConsole console, bool json, JsonElement peer, string what)
    {
        if (json)
        {
            CliJson.Write(console.Out, peer);
            return ExitCodes.Success;
        }
        var kekLabel = FieldList.Cell(peer, "kekLabel");
        console.Out.WriteLine($"Registered {what}{(kekLabel is null ? "" : $" with KEK '{kekLabel}'")}.");
        AdminOptions.WriteSecret(console, "Token", FieldList.Cell(peer, "token") ?? "-");
        console.Out.WriteLine("The peer sends it as 'Authorization: Bearer <token>' on Backend Interfaces requests.");
        return ExitCodes.Success;
    }

    private static string Describe(JsonElement peer, string idName, string? subIdName) =>
        FieldList.Cell(peer, idName) + (subIdName is not null && FieldList.Cell(peer, subIdName) is { } sub ? $" (NSID {sub})" : "");
}

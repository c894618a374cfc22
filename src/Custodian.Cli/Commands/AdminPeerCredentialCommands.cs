using System.CommandLine;
using System.Text.Json;
using Custodian.Cli.Api;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>custodian admin networks|application-servers rotate-token|set-certificate|remove</c>: a peer's credentials after
/// registration. A rotated token is printed once; the old one is refused from then on.
/// </summary>
internal static class AdminPeerCredentialCommands
{
    /// <summary>The three verbs for networks, named by <c>--net-id</c> and, for one with an NSID, <c>--ns-id</c>.</summary>
    public static IEnumerable<Command> ForNetworks(CliConsole console, CliOptions options)
    {
        yield return Build(console, options, NetworkTarget(), "network", RotateToken);
        yield return Build(console, options, NetworkTarget(), "network", SetCertificate);
        yield return Build(console, options, NetworkTarget(), "network", Remove);
    }

    /// <summary>The three verbs for application servers, named by <c>--as-id</c>.</summary>
    public static IEnumerable<Command> ForApplicationServers(CliConsole console, CliOptions options)
    {
        yield return Build(console, options, ApplicationServerTarget(), "application server", RotateToken);
        yield return Build(console, options, ApplicationServerTarget(), "application server", SetCertificate);
        yield return Build(console, options, ApplicationServerTarget(), "application server", Remove);
    }

    /// <summary>How a command names its peer: its options, and the API path (with query) they give.</summary>
    private sealed record Target(Option<string>[] Options, Func<ParseResult, string> Path, Func<ParseResult, string> Describe);

    private static Target NetworkTarget()
    {
        var netId = new Option<string>("--net-id") { Description = "The network's NetID, 6 hex digits.", Required = true };
        var nsId = new Option<string>("--ns-id") { Description = "The NSID, for a network registered with one." };
        return new Target(
            [netId, nsId],
            parseResult => $"api/v1/networks/{Uri.EscapeDataString(parseResult.GetValue(netId)!.Trim())}"
                + (parseResult.GetValue(nsId) is { } ns ? $"?nsId={Uri.EscapeDataString(ns.Trim())}" : ""),
            parseResult => $"network {parseResult.GetValue(netId)!.Trim()}" + (parseResult.GetValue(nsId) is { } ns ? $" (NSID {ns.Trim()})" : ""));
    }

    private static Target ApplicationServerTarget()
    {
        var asId = new Option<string>("--as-id") { Description = "The application server's AS-ID.", Required = true };
        return new Target(
            [asId],
            parseResult => $"api/v1/application-servers/{Uri.EscapeDataString(parseResult.GetValue(asId)!)}",
            parseResult => $"application server {parseResult.GetValue(asId)}");
    }

    private static Command Build(CliConsole console, CliOptions options, Target target, string what, Func<CliConsole, CliOptions, Target, string, Command> verb)
    {
        var command = verb(console, options, target, what);
        foreach (var option in target.Options)
        {
            command.Options.Add(option);
        }
        return command;
    }

    private static Command RotateToken(CliConsole console, CliOptions options, Target target, string what)
    {
        var command = new Command("rotate-token", $"Give the {what} a new bearer token, printed once; the old one is refused from now on.");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            var (path, query) = Split(target.Path(parseResult));
            var peer = (await client.PostAsync($"{path}/token{query}", new { }, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, peer);
                return ExitCodes.Success;
            }
            console.Out.WriteLine($"New token for {target.Describe(parseResult)}; the previous one is refused (by every instance within seconds).");
            AdminOptions.WriteSecret(console, "Token", FieldList.Cell(peer, "token") ?? "-");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command SetCertificate(CliConsole console, CliOptions options, Target target, string what)
    {
        var certificate = AdminOptions.ClientCertificate($"the {what}");
        var none = new Option<bool>("--none") { Description = "Drop the client certificate: the peer authenticates by its bearer token only." };
        var command = new Command("set-certificate", $"Replace (or, with --none, drop) the {what}'s TLS client certificate.") { certificate, none };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(certificate) is null) == !result.GetValue(none))
            {
                result.AddError("Give --client-certificate FILE or --none.");
            }
        });
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            if (!AdminOptions.TryReadPem(console, parseResult.GetValue(certificate), out var pem, out var exitCode))
            {
                return exitCode;
            }
            var (path, query) = Split(target.Path(parseResult));
            // With --none the body is {}: no clientCertificate, which the server takes as "none".
            var body = JsonSerializer.SerializeToUtf8Bytes(new { clientCertificate = pem }, CliJson.Options);
            var peer = (await client.SendAsync(HttpMethod.Put, $"{path}/certificate{query}", body, cancellationToken))!.Value;
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, peer);
                return ExitCodes.Success;
            }
            var thumbprint = FieldList.Cell(peer, "certificateThumbprint");
            console.Out.WriteLine(thumbprint is null
                ? $"The {target.Describe(parseResult)} has no client certificate now."
                : $"The {target.Describe(parseResult)} now authenticates with the certificate SHA-256 {thumbprint}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliConsole console, CliOptions options, Target target, string what)
    {
        var command = new Command("remove", $"Remove the {what}: its token and certificate are refused from now on.");
        ServerCommand.SetAction(command, console, options, parseResult => async (client, cancellationToken) =>
        {
            await client.DeleteAsync(target.Path(parseResult), cancellationToken);
            if (parseResult.GetValue(options.Json))
            {
                CliJson.Write(console.Out, new { removed = target.Describe(parseResult) });
            }
            else
            {
                console.Out.WriteLine($"Removed {target.Describe(parseResult)}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static (string Path, string Query) Split(string path) =>
        path.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? (path[..at], path[at..]) : (path, "");
}

internal static class CommandExtensions
{
    /// <summary>Adds <paramref name="subcommands"/> to <paramref name="command"/>; returns it, for initializers.</summary>
    public static Command With(this Command command, IEnumerable<Command> subcommands)
    {
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }
        return command;
    }
}

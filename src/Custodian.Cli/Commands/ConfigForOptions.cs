using System.CommandLine;
using System.Text.Json;
using Custodian.Cli.Output;
using Custodian.Lorawan;

namespace Custodian.Cli.Commands;

/// <summary>
/// <c>--config-for tts|chirpstack</c>, <c>--public-url</c> and <c>--join-eui-prefix</c> of <c>admin networks create</c>
/// and <c>admin application-servers create</c>: print network-server configuration holding the new token.
/// </summary>
internal sealed class ConfigForOptions
{
    private ConfigForOptions(string[] targets)
    {
        ConfigFor = new Option<string>("--config-for")
        {
            Description = $"Also print ready-to-use configuration holding the new token for this network server: {string.Join(" or ", targets)}.",
        };
        ConfigFor.AcceptOnlyFromAmong(targets);
        PublicUrl = new Option<string>("--public-url")
        {
            Description = "The address the network server reaches Custodian at (https://host[:port][/prefix]); needed with --config-for.",
        };
        PublicUrl.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && !TryReadUrl(text, out _))
            {
                result.AddError("--public-url: an absolute http:// or https:// URL, without query or fragment.");
            }
        });
        JoinEuiPrefixes = new Option<string[]>("--join-eui-prefix")
        {
            Description = "A JoinEUI block (EUI/length, e.g. 70B3D57ED0000000/40) whose devices join through Custodian; repeat for several. Needed with --config-for.",
            AllowMultipleArgumentsPerToken = false,
        };
        JoinEuiPrefixes.Validators.Add(result =>
        {
            foreach (var text in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!JoinEuiPrefix.TryParse(text.Trim(), out _, out var error))
                {
                    result.AddError($"--join-eui-prefix '{text}': {error}");
                }
            }
        });
    }

    public Option<string> ConfigFor { get; }

    public Option<string> PublicUrl { get; }

    public Option<string[]> JoinEuiPrefixes { get; }

    public static ConfigForOptions Add(Command command, params string[] targets)
    {
        var options = new ConfigForOptions(targets);
        command.Options.Add(options.ConfigFor);
        command.Options.Add(options.PublicUrl);
        command.Options.Add(options.JoinEuiPrefixes);
        command.Validators.Add(result =>
        {
            if (result.GetResult(options.ConfigFor) is not null
                && (result.GetResult(options.PublicUrl) is null || (result.GetValue(options.JoinEuiPrefixes) ?? []).Length == 0))
            {
                result.AddError("--config-for needs --public-url and at least one --join-eui-prefix.");
            }
        });
        return options;
    }

    /// <summary>After the peer's answer: the configuration for <c>--config-for</c>, if asked (warnings on stderr).</summary>
    public void Write(CliConsole console, ParseResult parseResult, JsonElement peer, string? kekHex)
    {
        if (parseResult.GetValue(ConfigFor) is not { } target || !TryReadUrl(parseResult.GetValue(PublicUrl)!, out var url))
        {
            return;
        }
        var input = new PeerConfigInput(
            FieldList.Cell(peer, "token")!,
            url,
            [.. parseResult.GetValue(JoinEuiPrefixes)!.Select(p => JoinEuiPrefix.Parse(p.Trim()).ToString())],
            FieldList.Cell(peer, "netId"),
            FieldList.Cell(peer, "nsId"),
            FieldList.Cell(peer, "asId"),
            FieldList.Cell(peer, "kekLabel"),
            kekHex?.Trim());
        console.Out.WriteLine();
        if (target == "chirpstack")
        {
            console.Out.Write(NetworkServerConfig.ForChirpStack(input, out var warning));
            if (warning is not null)
            {
                console.Error.WriteLine(warning);
            }
            if (FieldList.Cell(peer, "appSKeyMode") is not "network-clear")
            {
                console.Error.WriteLine("This network gets a SessionKeyID with each session, which ChirpStack treats as end-to-end encrypted; register it with --app-s-key-mode network-clear for ChirpStack to decrypt payloads itself.");
            }
            return;
        }
        console.Out.Write(NetworkServerConfig.ForTheThingsStack(input));
    }

    private static bool TryReadUrl(string text, out Uri url) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out url!) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0;
}

using YamlDotNet.Serialization;

namespace Custodian.Cli.Tests.NetworkServers;

// C# shapes of what The Things Stack v3.32 reads with yaml.UnmarshalStrict (unknown keys fail, as in TTS), from
// lorawan-stack pkg/interop/client.go NewClient (config.yml, the per-Join-Server file: ComponentConfig inline, paths,
// protocol, sender-ns-id) and pkg/interop/config.go tlsConfig; and the subset of the stack options
// (pkg/config/shared.go InteropClient and KeyVault, pkg/networkserver/config.go and pkg/applicationserver/config.go
// InteropConfig, NS net-id) that the generated ttn-lw-stack.yml holds.

public sealed class TtsInteropConfig
{
    [YamlMember(Alias = "join-servers")]
    public List<TtsJoinServerEntry> JoinServers { get; set; } = [];
}

public sealed class TtsJoinServerEntry
{
    [YamlMember(Alias = "file")]
    public string File { get; set; } = "";

    [YamlMember(Alias = "components")]
    public List<string> Components { get; set; } = [];

    [YamlMember(Alias = "join-euis")]
    public List<string> JoinEuis { get; set; } = [];
}

public sealed class TtsJoinServerFile
{
    [YamlMember(Alias = "dns")]
    public string Dns { get; set; } = "";

    [YamlMember(Alias = "scheme")]
    public string Scheme { get; set; } = "";

    [YamlMember(Alias = "fqdn")]
    public string Fqdn { get; set; } = "";

    [YamlMember(Alias = "port")]
    public uint Port { get; set; }

    [YamlMember(Alias = "headers")]
    public Dictionary<string, string> Headers { get; set; } = [];

    [YamlMember(Alias = "basic-auth")]
    public TtsBasicAuth BasicAuth { get; set; } = new();

    [YamlMember(Alias = "tls")]
    public TtsTls Tls { get; set; } = new();

    [YamlMember(Alias = "paths")]
    public TtsPaths Paths { get; set; } = new();

    [YamlMember(Alias = "protocol")]
    public string Protocol { get; set; } = "";

    [YamlMember(Alias = "sender-ns-id")]
    public string? SenderNsId { get; set; }
}

public sealed class TtsBasicAuth
{
    [YamlMember(Alias = "username")]
    public string Username { get; set; } = "";

    [YamlMember(Alias = "password")]
    public string Password { get; set; } = "";
}

public sealed class TtsTls
{
    [YamlMember(Alias = "root-ca")]
    public string RootCa { get; set; } = "";

    [YamlMember(Alias = "source")]
    public string Source { get; set; } = "";

    [YamlMember(Alias = "certificate")]
    public string Certificate { get; set; } = "";

    [YamlMember(Alias = "key")]
    public string Key { get; set; } = "";
}

public sealed class TtsPaths
{
    [YamlMember(Alias = "join")]
    public string Join { get; set; } = "";

    [YamlMember(Alias = "rejoin")]
    public string Rejoin { get; set; } = "";

    [YamlMember(Alias = "app-s-key")]
    public string AppSKey { get; set; } = "";

    [YamlMember(Alias = "home-ns")]
    public string HomeNs { get; set; } = "";
}

public sealed class TtsStackOptions
{
    [YamlMember(Alias = "ns")]
    public TtsComponentOptions? Ns { get; set; }

    [YamlMember(Alias = "as")]
    public TtsComponentOptions? As { get; set; }

    [YamlMember(Alias = "key-vault")]
    public TtsKeyVault? KeyVault { get; set; }
}

public sealed class TtsComponentOptions
{
    [YamlMember(Alias = "net-id")]
    public string? NetId { get; set; }

    [YamlMember(Alias = "interop")]
    public TtsInteropOptions Interop { get; set; } = new();
}

public sealed class TtsInteropOptions
{
    [YamlMember(Alias = "config-source")]
    public string ConfigSource { get; set; } = "";

    [YamlMember(Alias = "directory")]
    public string Directory { get; set; } = "";

    [YamlMember(Alias = "url")]
    public string Url { get; set; } = "";

    [YamlMember(Alias = "id")]
    public string? Id { get; set; }
}

public sealed class TtsKeyVault
{
    [YamlMember(Alias = "provider")]
    public string Provider { get; set; } = "";

    [YamlMember(Alias = "static")]
    public Dictionary<string, string> Static { get; set; } = [];
}

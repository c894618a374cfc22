using System.Globalization;
using System.Text;

namespace Custodian.Cli.Commands;

/// <summary>What a network server needs to reach this Custodian as one registered peer.</summary>
/// <param name="Token">The peer's new bearer token.</param>
/// <param name="PublicUrl">Where the network server reaches Custodian (scheme, host, port, optional path prefix).</param>
/// <param name="JoinEuiPrefixes">The JoinEUI blocks (EUI/length) whose devices join through Custodian.</param>
/// <param name="NetId">The network's NetID (null for an application server).</param>
/// <param name="NsId">The network's NSID (BI 1.1), when registered with one.</param>
/// <param name="AsId">The application server's AS-ID (null for a network).</param>
/// <param name="KekLabel">The peer's KEK label, when one was registered.</param>
/// <param name="KekHex">The peer's KEK as given on the command line (the peer's key vault needs it too).</param>
internal sealed record PeerConfigInput(
    string Token, Uri PublicUrl, IReadOnlyList<string> JoinEuiPrefixes, string? NetId = null, string? NsId = null, string? AsId = null,
    string? KekLabel = null, string? KekHex = null);

/// <summary>
/// Ready-to-use network-server configuration for a peer just registered, holding its token: The Things Stack's interop
/// directory files (lorawan-stack <c>pkg/interop/client.go</c> <c>NewClient</c>, read with <c>yaml.UnmarshalStrict</c>)
/// and stack options, or ChirpStack's <c>chirpstack.toml</c> sections (<c>chirpstack/src/config.rs</c>). Each file
/// starts with a <c># ---- name ----</c> line.
/// </summary>
internal static class NetworkServerConfig
{
    public const string FileMarker = "# ---- ";
    public const string BackendInterfacesPath = "backend-interfaces";

    /// <summary>The Things Stack: config.yml, the per-Join-Server file (NS or AS), and the stack options to merge.</summary>
    public static string ForTheThingsStack(PeerConfigInput peer)
    {
        var component = peer.AsId is null ? "ns" : "as";
        var file = $"custodian-{component}.yml";
        var text = new StringBuilder();
        Header(text, "config.yml", $"in the directory set as {component}.interop.directory; add the entry to an existing join-servers list");
        text.AppendLine("join-servers:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  - file: {file}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    components: [{component}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"    join-euis: [{string.Join(", ", peer.JoinEuiPrefixes.Select(p => Quote(p.ToUpperInvariant())))}]");
        Header(text, file, $"the {(component == "ns" ? "Network Server's" : "Application Server's")} own credential");
        var url = peer.PublicUrl;
        text.AppendLine(CultureInfo.InvariantCulture, $"fqdn: {Quote(url.Host)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"port: {url.Port}");
        text.AppendLine(CultureInfo.InvariantCulture, $"scheme: {url.Scheme}");
        var bi11 = component == "ns" && peer.NsId is not null;
        text.AppendLine(CultureInfo.InvariantCulture, $"protocol: {(bi11 ? "BI1.1" : "BI1.0")}");
        if (bi11)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"sender-ns-id: {Quote(peer.NsId!)}");
        }
        text.AppendLine("paths:");
        // TTS puts a '/' before the path itself: no leading slash here.
        text.AppendLine(CultureInfo.InvariantCulture, $"  {(component == "ns" ? "join" : "app-s-key")}: {Quote(PathOf(url))}");
        text.AppendLine("headers:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Authorization: {Quote("Bearer " + peer.Token)}");
        Header(text, "ttn-lw-stack.yml", "merge into the stack's configuration");
        text.AppendLine(CultureInfo.InvariantCulture, $"{component}:");
        if (component == "ns")
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  net-id: {Quote(peer.NetId!)}");
        }
        text.AppendLine("  interop:");
        text.AppendLine("    config-source: directory");
        text.AppendLine("    directory: /etc/ttn-lw-stack/interop");
        if (component == "as")
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    id: {Quote(peer.AsId!)}");
        }
        else if (peer.NsId is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    id: {Quote(peer.NsId)}");
        }
        if (peer.KekLabel is not null && peer.KekHex is not null)
        {
            text.AppendLine("key-vault:");
            text.AppendLine("  provider: static");
            text.AppendLine("  static:");
            text.AppendLine(CultureInfo.InvariantCulture, $"    {Quote(peer.KekLabel)}: {Quote(peer.KekHex.ToUpperInvariant())}");
        }
        return text.ToString();
    }

    /// <summary>ChirpStack: the [network], [[join_server.servers]] (one per JoinEUI prefix) and [[keks]] sections.</summary>
    public static string ForChirpStack(PeerConfigInput peer, out string? warning)
    {
        warning = null;
        var text = new StringBuilder();
        Header(text, "chirpstack.toml", "merge these sections into ChirpStack's configuration");
        text.AppendLine("[network]");
        text.AppendLine(CultureInfo.InvariantCulture, $"  net_id = {TomlString(peer.NetId!.ToLowerInvariant())}");
        var server = peer.PublicUrl.GetLeftPart(UriPartial.Authority) + "/" + PathOf(peer.PublicUrl);
        foreach (var prefix in peer.JoinEuiPrefixes)
        {
            text.AppendLine();
            text.AppendLine("[[join_server.servers]]");
            text.AppendLine(CultureInfo.InvariantCulture, $"  join_eui_prefix = {TomlString(prefix.ToLowerInvariant())}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  server = {TomlString(server)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  authorization_header = {TomlString("Bearer " + peer.Token)}");
            // Custodian answers in the HTTP response; a non-zero timeout makes ChirpStack wait for a callback instead.
            text.AppendLine("  async_timeout = \"0s\"");
        }
        if (peer.KekLabel is not null && peer.KekHex is { Length: 32 } kek)
        {
            text.AppendLine();
            text.AppendLine("[[keks]]");
            text.AppendLine(CultureInfo.InvariantCulture, $"  label = {TomlString(peer.KekLabel)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  kek = {TomlString(kek.ToLowerInvariant())}");
        }
        else if (peer.KekLabel is not null)
        {
            warning = "ChirpStack loads only 16-byte (AES-128) KEKs: register this network again with a 32-hex-digit --kek, or ChirpStack cannot unwrap its keys.";
        }
        return text.ToString();
    }

    /// <summary>The path Backend Interfaces is served on under the public URL, without a leading slash.</summary>
    private static string PathOf(Uri url)
    {
        var prefix = url.AbsolutePath.Trim('/');
        return prefix.Length == 0 ? BackendInterfacesPath : prefix + "/" + BackendInterfacesPath;
    }

    private static void Header(StringBuilder text, string file, string note)
    {
        if (text.Length > 0)
        {
            text.AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{FileMarker}{file} ---- ({note})");
    }

    // YAML single-quoted scalars: only ' needs escaping (doubled).
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // TOML basic strings: escape \ and ".
    private static string TomlString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

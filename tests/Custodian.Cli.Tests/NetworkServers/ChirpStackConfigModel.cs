using Tomlyn.Model;

namespace Custodian.Cli.Tests.NetworkServers;

/// <summary>
/// The keys ChirpStack v4 reads, from chirpstack/src/config.rs (Configuration, Network, JoinServer, JoinServerServer,
/// Kek), and a strict walk of a parsed TOML table against them: a key the model lacks fails (ChirpStack would silently
/// ignore it, so a misspelt key would do nothing there), as do values its types would refuse (NetID, EUI64Prefix
/// from_str, AES128Key from_str: 16 bytes of hex, humantime durations).
/// </summary>
internal static class ChirpStackConfigModel
{
    private static readonly HashSet<string> Configuration =
    [
        "logging", "postgresql", "redis", "sqlite", "api", "gateway", "network", "monitoring", "integration", "codec",
        "user_authentication", "join_server", "backend_interfaces", "roaming", "keks", "regions", "ui",
    ];

    private static readonly HashSet<string> Network =
    [
        "net_id", "secondary_net_ids", "dev_addr_prefixes", "enabled_regions", "device_session_ttl", "deduplication_delay",
        "get_downlink_data_delay", "mac_commands_disabled", "adr_plugins", "max_mac_command_error_count", "scheduler",
    ];

    private static readonly HashSet<string> JoinServer = ["resolve_join_eui_domain_suffix", "servers", "default"];

    private static readonly HashSet<string> JoinServerServer =
        ["join_eui_prefix", "join_eui", "server", "async_timeout", "ca_cert", "tls_cert", "tls_key", "authorization_header"];

    private static readonly HashSet<string> Kek = ["label", "kek"];

    /// <summary>Checks <paramref name="root"/>; returns every violation (empty when ChirpStack reads it as meant).</summary>
    public static List<string> Check(TomlTable root)
    {
        var errors = new List<string>();
        Keys("", root, Configuration, errors);
        if (root.TryGetValue("network", out var network) && network is TomlTable networkTable)
        {
            Keys("network.", networkTable, Network, errors);
            if (networkTable.TryGetValue("net_id", out var netId) && !(netId is string text && IsHex(text, 3)))
            {
                errors.Add($"network.net_id: not a NetID: {netId}");
            }
        }
        if (root.TryGetValue("join_server", out var joinServer) && joinServer is TomlTable joinServerTable)
        {
            Keys("join_server.", joinServerTable, JoinServer, errors);
            foreach (var server in Tables(joinServerTable, "servers"))
            {
                Keys("join_server.servers.", server, JoinServerServer, errors);
                if (!(server.TryGetValue("join_eui_prefix", out var prefix) && prefix is string p && IsEui64Prefix(p)))
                {
                    errors.Add($"join_server.servers.join_eui_prefix: not an EUI64Prefix: {prefix}");
                }
                if (server.TryGetValue("async_timeout", out var timeout) && timeout is not "0s")
                {
                    errors.Add($"join_server.servers.async_timeout: {timeout} (Custodian answers synchronously: 0s)");
                }
            }
        }
        foreach (var kek in Tables(root, "keks"))
        {
            Keys("keks.", kek, Kek, errors);
            if (!(kek.TryGetValue("kek", out var key) && key is string hex && IsHex(hex, 16)))
            {
                errors.Add("keks.kek: not an AES128Key (32 hex digits)");
            }
        }
        return errors;
    }

    private static IEnumerable<TomlTable> Tables(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) && value is TomlTableArray array ? array : [];

    private static void Keys(string path, TomlTable table, HashSet<string> known, List<string> errors) =>
        errors.AddRange(table.Keys.Where(k => !known.Contains(k)).Select(k => $"{path}{k}: not a ChirpStack setting"));

    // EUI64Prefix::from_str: 16 hex digits, optionally "/size".
    private static bool IsEui64Prefix(string text)
    {
        var parts = text.Split('/');
        return parts.Length <= 2 && IsHex(parts[0], 8) && (parts.Length == 1 || int.TryParse(parts[1], out var size) && size is >= 0 and <= 64);
    }

    private static bool IsHex(string text, int bytes) => text.Length == bytes * 2 && text.All(Uri.IsHexDigit);
}

using System.Diagnostics.CodeAnalysis;

namespace Custodian.Core.Peers;

/// <summary>
/// Who receives a network's sessions' AppSKey. ChirpStack v4 treats every session with a Join Server SessionKeyID, or
/// with a KEK-labelled AppSKey, as end-to-end encrypted: it neither decrypts uplinks nor runs codecs, and cannot
/// encrypt plain downlinks. A network that wants its server to handle payloads itself takes the AppSKey instead.
/// </summary>
public enum AppSKeyMode
{
    /// <summary>
    /// The default: the JoinAns carries a SessionKeyID, and the AppSKey wrapped under the claim's application server's
    /// KEK (in clear when it has none); the application server may fetch it later with an AppSKeyReq.
    /// </summary>
    JoinServer,

    /// <summary>The AppSKey goes to the network wrapped under the network's own KEK, without a SessionKeyID (The Things Stack).</summary>
    Network,

    /// <summary>The AppSKey goes to the network in clear (over TLS), without a SessionKeyID (ChirpStack, which reads it as is).</summary>
    NetworkClear,
}

public static class AppSKeyModes
{
    private static readonly (AppSKeyMode Mode, string Text)[] Names =
    [
        (AppSKeyMode.JoinServer, "join-server"),
        (AppSKeyMode.Network, "network"),
        (AppSKeyMode.NetworkClear, "network-clear"),
    ];

    /// <summary>The API's and the store's name: <c>join-server</c>, <c>network</c> or <c>network-clear</c>.</summary>
    public static string ToText(this AppSKeyMode mode) => Names.First(n => n.Mode == mode).Text;

    public static bool TryParse(string? text, out AppSKeyMode mode, [NotNullWhen(false)] out string? error)
    {
        foreach (var (candidate, name) in Names)
        {
            if (string.Equals(name, text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                error = null;
                return true;
            }
        }
        mode = AppSKeyMode.JoinServer;
        error = $"expected one of {string.Join(", ", Names.Select(n => n.Text))}.";
        return false;
    }

    /// <summary>A stored name; an unknown one (a newer server's) reads as the default, which never gives out more.</summary>
    public static AppSKeyMode FromStore(string? text) => TryParse(text, out var mode, out _) ? mode : AppSKeyMode.JoinServer;
}

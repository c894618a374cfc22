using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>
/// A MACVersion as the peer wrote it: the parsed <see cref="MacVersion"/> plus the original text,
/// so that "1.0" goes back out as "1.0" and not as "1.0.0" (peers disagree on spellings).
/// </summary>
[JsonConverter(typeof(WireMacVersionConverter))]
public readonly record struct WireMacVersion
{
    private readonly string? _text;

    /// <summary>A version we send ourselves, in its canonical spelling ("1.0.3", "1.1").</summary>
    public WireMacVersion(MacVersion version)
        : this(version, null)
    {
    }

    private WireMacVersion(MacVersion version, string? text)
    {
        Version = version;
        _text = text;
    }

    public MacVersion Version { get; }

    public string Text => _text ?? Version.ToString();

    public static bool TryParse(string text, out WireMacVersion version)
    {
        var parsed = MacVersion.TryParse(text, out var mac, out _);
        version = parsed ? new WireMacVersion(mac, text) : default;
        return parsed;
    }

    public static implicit operator WireMacVersion(MacVersion version) => new(version);

    public override string ToString() => Text;
}

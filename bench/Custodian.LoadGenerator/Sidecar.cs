using System.Text.Json;

namespace Custodian.LoadGenerator;

/// <summary>One benchmark device: its place in the round-robin, its EUI and the root key the server generated.</summary>
internal sealed record BenchDevice(int Index, DevEui DevEui, Key128 AppKey);

/// <summary>
/// What <c>prepare</c> leaves beside the bodies so that later steps can verify answers: the network's token,
/// the JoinEUI, every device's AppKey and the highest DevNonce written for it. It holds secrets: keep it in a temp directory.
/// </summary>
internal sealed record Sidecar(string NetId, string JoinEui, string Token, string MakerKey, int Requests, IReadOnlyList<SidecarDevice> Devices)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public NetId Network => Lorawan.NetId.Parse(NetId);

    public JoinEui JoinEuiValue => Lorawan.JoinEui.Parse(JoinEui);

    public IReadOnlyList<BenchDevice> BenchDevices() =>
        [.. Devices.Select((d, i) => new BenchDevice(i, DevEui.Parse(d.DevEui), Key128.Parse(d.AppKey)))];

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static Sidecar Load(string path) =>
        JsonSerializer.Deserialize<Sidecar>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
}

/// <summary>A device as saved: its DevEUI, its AppKey in hex, and the highest DevNonce among the prepared bodies (later joins use higher ones).</summary>
internal sealed record SidecarDevice(string DevEui, string AppKey, int LastDevNonce);

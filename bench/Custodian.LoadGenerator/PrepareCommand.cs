using System.Diagnostics;
using System.Security.Cryptography;

namespace Custodian.LoadGenerator;

/// <summary>
/// <c>prepare</c>: sets up a maker, a network and N pre-activated devices through the REST API, then writes M
/// JoinReq bodies, one a line, never repeated: line j is device j mod N with DevNonce j / N + 1, so every device's
/// DevNonces rise along the file. A reader that sends the lines in order (wrk with one thread, or threads taking
/// lines j ≡ t mod T with N a multiple of T) never sends a device's nonce before a lower one of the same device.
/// </summary>
internal static class PrepareCommand
{
    public const int BatchSize = 1_000;

    public static async Task<int> RunAsync(Options options, CancellationToken cancel)
    {
        var server = new Uri(options.Text("server"));
        var adminKey = options.Text("admin-key");
        var deviceCount = options.Number("devices");
        var requests = options.Number("requests");
        var output = options.Text("out");
        var sidecarPath = options.Text("sidecar", output + ".sidecar.json");
        var netId = NetId.Parse(options.Text("net-id", "000013"));
        var joinEui = JoinEui.Parse(options.Text("join-eui", "70B3D57ED0000B5C"));
        options.ThrowIfUnknown();
        var noncesPerDevice = (requests + deviceCount - 1) / deviceCount;
        if (deviceCount <= 0 || requests <= 0 || noncesPerDevice >= ushort.MaxValue)
        {
            throw new UsageException($"--devices and --requests must be positive, with at most {ushort.MaxValue - 1} requests per device.");
        }

        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        var api = new AdminApi(http);
        var tenantId = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        // A random 24-bit prefix keeps two preparations against one server apart; it is the maker's DevEUI block.
        var prefix = (ulong)RandomNumberGenerator.GetInt32(1 << 24) << 40;
        var makerKey = await api.CreateTenantWithKeyAsync(adminKey, tenantId, AdminApi.BlockOf(prefix), cancel);
        var token = await api.CreateNetworkAsync(adminKey, netId, cancel);
        var devices = await ProvisionAsync(api, makerKey, joinEui, netId, prefix, deviceCount, cancel);
        Console.WriteLine($"prepare: tenant {tenantId}, network {netId}, {devices.Count} devices provisioned in {clock.Elapsed.TotalSeconds:F1} s");

        clock.Restart();
        WriteBodies(output, devices, netId, joinEui, requests);
        var sidecarDevices = devices.Select(d => new SidecarDevice(
            d.DevEui.ToString(), d.AppKey.ExportSecretHex(), LastNonce(d.Index, deviceCount, requests))).ToList();
        new Sidecar(netId.ToString(), joinEui.ToString(), token, makerKey, requests, sidecarDevices).Save(sidecarPath);
        Console.WriteLine($"prepare: {requests} JoinReq bodies written to {output} in {clock.Elapsed.TotalSeconds:F1} s; keys in {sidecarPath}");
        return 0;
    }

    private static async Task<List<BenchDevice>> ProvisionAsync(
        AdminApi api, string makerKey, JoinEui joinEui, NetId netId, ulong prefix, int count, CancellationToken cancel)
    {
        var devices = new List<BenchDevice>(count);
        for (var start = 0; start < count; start += BatchSize)
        {
            var devEuis = Enumerable.Range(start, Math.Min(BatchSize, count - start)).Select(i => new DevEui(prefix | (uint)i)).ToList();
            var keys = await api.ProvisionAsync(makerKey, joinEui, devEuis, netId, cancel);
            devices.AddRange(devEuis.Select((devEui, i) => new BenchDevice(start + i, devEui, keys[i])));
        }
        return devices;
    }

    private static void WriteBodies(string path, List<BenchDevice> devices, NetId netId, JoinEui joinEui, int requests)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        for (var line = 0; line < requests; line++)
        {
            var device = devices[line % devices.Count];
            file.Write(JoinBodies.Build(device, netId, joinEui, NonceOf(line, devices.Count), (uint)line + 1));
            file.WriteByte((byte)'\n');
        }
    }

    private static ushort NonceOf(int line, int deviceCount) => (ushort)((line / deviceCount) + 1);

    /// <summary>The DevNonce of the device's last line, or 0 when the file has no line for it.</summary>
    private static int LastNonce(int index, int deviceCount, int requests) =>
        index >= requests ? 0 : NonceOf(requests - 1 - ((requests - 1 - index) % deviceCount), deviceCount);
}

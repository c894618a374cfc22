using System.Diagnostics;
using System.Text.Json;

namespace Custodian.LoadGenerator;

/// <summary>What one device was sent and answered before the server died.</summary>
internal sealed record LedgerEntry(int Index, int MaxSentDevNonce, int MaxAnsweredDevNonce, int MaxAnsweredJoinNonce, int Answered);

/// <summary>
/// A crash check at benchmark scale, in two steps around a restart the caller does:
/// <c>crash-fire</c> sends joins on many connections, SIGKILLs the server while they are in flight and writes a ledger
/// of every join answered Success; after the server is restarted on the same data, <c>crash-verify</c> checks that each
/// answered join survived: the replay of a device's highest answered DevNonce is refused, and a fresh join is
/// accepted with a JoinNonce above every answered one. (tests/Custodian.Server.Tests/Durability runs the same check as a test.)
/// </summary>
internal static class CrashCommands
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> FireAsync(Options options, CancellationToken cancel)
    {
        var server = new Uri(options.Text("server"));
        var sidecar = Sidecar.Load(options.Text("sidecar"));
        var ledgerPath = options.Text("ledger");
        var connections = options.Number("connections", 32);
        var pid = options.Number("kill-pid");
        var killAfter = options.Duration("kill-after", TimeSpan.FromSeconds(3));
        options.ThrowIfUnknown();

        var devices = sidecar.BenchDevices();
        var state = devices.Select(d => new DeviceState(d, sidecar.Devices[d.Index].LastDevNonce)).ToArray();
        using var http = Http(server, connections);
        var client = new JoinClient(http, sidecar.Token);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var workers = Enumerable.Range(0, connections)
            .Select(w => Task.Run(() => FireWorkerAsync(client, sidecar, state.Where(s => s.Device.Index % connections == w).ToArray(), stop.Token), cancel))
            .ToArray();

        await Task.Delay(killAfter, cancel);
        var answeredAtKill = state.Sum(s => s.Answered);
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL on Linux: no shutdown, no flush.
        }
        // Workers end on their first failed request; bound the wait in case a socket hangs.
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers);

        var ledger = state.Select(s => new LedgerEntry(s.Device.Index, s.MaxSent, s.MaxAnsweredDevNonce, s.MaxAnsweredJoinNonce, s.Answered)).ToList();
        await File.WriteAllTextAsync(ledgerPath, JsonSerializer.Serialize(ledger, Json), cancel);
        Console.WriteLine($"crash-fire: killed pid {pid} after {killAfter.TotalSeconds:F1} s with {connections} connections busy; "
            + $"{ledger.Sum(l => l.Answered)} joins answered Success ({answeredAtKill} when the kill was sent), "
            + $"{state.Sum(s => s.Refused)} refused; ledger {ledgerPath}");
        return 0;
    }

    public static async Task<int> VerifyAsync(Options options, CancellationToken cancel)
    {
        var server = new Uri(options.Text("server"));
        var sidecar = Sidecar.Load(options.Text("sidecar"));
        var ledger = JsonSerializer.Deserialize<List<LedgerEntry>>(await File.ReadAllTextAsync(options.Text("ledger"), cancel), Json)!;
        options.ThrowIfUnknown();

        var devices = sidecar.BenchDevices();
        using var http = Http(server, 16);
        var client = new JoinClient(http, sidecar.Token);
        var failures = new List<string>();
        var checkedReplays = 0;
        await Parallel.ForEachAsync(ledger, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancel }, async (entry, ct) =>
        {
            var problems = await VerifyDeviceAsync(client, sidecar, devices[entry.Index], entry, ct);
            lock (failures)
            {
                failures.AddRange(problems);
                checkedReplays += entry.Answered > 0 ? 1 : 0;
            }
        });
        foreach (var failure in failures.Take(20))
        {
            Console.WriteLine("crash-verify: LOST " + failure);
        }
        Console.WriteLine($"crash-verify: {ledger.Sum(l => l.Answered)} answered joins on {checkedReplays} devices checked after restart "
            + $"(replays refused, fresh JoinNonces higher), {ledger.Count} devices joined afresh: {failures.Count} failure(s)");
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<List<string>> VerifyDeviceAsync(JoinClient client, Sidecar sidecar, BenchDevice device, LedgerEntry entry, CancellationToken cancel)
    {
        var problems = new List<string>();
        if (entry.Answered > 0)
        {
            var replay = await client.JoinAsync(device, JoinBodies.Build(device, sidecar.Network, sidecar.JoinEuiValue, (ushort)entry.MaxAnsweredDevNonce, 1), cancel);
            if (replay.Succeeded)
            {
                problems.Add($"{device.DevEui}: the replay of answered DevNonce {entry.MaxAnsweredDevNonce} was accepted again.");
            }
        }
        var fresh = await client.JoinAsync(device, JoinBodies.Build(device, sidecar.Network, sidecar.JoinEuiValue, (ushort)(entry.MaxSentDevNonce + 1), 2), cancel);
        if (!fresh.Succeeded)
        {
            problems.Add($"{device.DevEui}: a fresh join (DevNonce {entry.MaxSentDevNonce + 1}) was answered {fresh.ResultCode}.");
        }
        else if (entry.Answered > 0 && fresh.JoinNonce!.Value.Value <= (uint)entry.MaxAnsweredJoinNonce)
        {
            problems.Add($"{device.DevEui}: fresh JoinNonce {fresh.JoinNonce} is not above the answered {entry.MaxAnsweredJoinNonce}.");
        }
        return problems;
    }

    private static async Task FireWorkerAsync(JoinClient client, Sidecar sidecar, DeviceState[] mine, CancellationToken cancel)
    {
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                foreach (var device in mine)
                {
                    var nonce = ++device.MaxSent;
                    var body = JoinBodies.Build(device.Device, sidecar.Network, sidecar.JoinEuiValue, (ushort)nonce, (uint)nonce);
                    device.Record(nonce, await client.JoinAsync(device.Device, body, cancel));
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // The server is gone (killed); what was answered before is in the ledger.
        }
    }

    private static HttpClient Http(Uri server, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>One device's progress; only its worker touches it.</summary>
    private sealed class DeviceState(BenchDevice device, int lastPreparedNonce)
    {
        public BenchDevice Device { get; } = device;

        // Start above the prepared bodies, which a benchmark may already have sent.
        public int MaxSent { get; set; } = lastPreparedNonce;

        public int MaxAnsweredDevNonce { get; private set; }

        public int MaxAnsweredJoinNonce { get; private set; } = -1;

        public int Answered { get; private set; }

        public int Refused { get; private set; }

        public void Record(int devNonce, JoinAnswer answer)
        {
            if (!answer.Succeeded)
            {
                Refused++;
                return;
            }
            var joinNonce = (int)answer.JoinNonce!.Value.Value;
            if (joinNonce <= MaxAnsweredJoinNonce)
            {
                throw new InvalidDataException($"{Device.DevEui}: JoinNonce {joinNonce} answered after {MaxAnsweredJoinNonce}; it must rise.");
            }
            Answered++;
            MaxAnsweredDevNonce = devNonce;
            MaxAnsweredJoinNonce = joinNonce;
        }
    }
}

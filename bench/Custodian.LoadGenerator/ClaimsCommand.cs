using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Custodian.LoadGenerator;

/// <summary>
/// <c>claims</c>: the claim benchmark (issue 3/5, "Performance"), everything in one run against one server.
/// Sets up a maker, two owners and a network through the REST API; provisions unclaimed devices with claim codes it
/// chose (so it knows them); then measures, in this order:
/// <list type="number">
/// <item>a warm-up: a few batches and single claims on devices of their own;</item>
/// <item><c>GET /healthz</c> on many connections, the yardstick of what this machine serves at all;</item>
/// <item>single claims (<c>POST /api/v1/claims</c>, owner B) at a steady rate with nothing else running;</item>
/// <item>batch claims (<c>POST /api/v1/claims/batch</c>, owner A, all the devices in batches, a few in flight) while
/// owner B's single claims go on at the same rate on their own devices: claims/s, and the single claim's latency under
/// that load;</item>
/// <item>the same batches again: every item already claimed by the caller, an idempotent success that writes nothing,
/// so that the difference is the cost of the write.</item>
/// </list>
/// A 429 is honoured as a client would (wait Retry-After, send again) and counted: the figures include any throttling
/// of the server's default rate limits. Prints a markdown table at the end.
/// </summary>
internal static class ClaimsCommand
{
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static async Task<int> RunAsync(Options options, CancellationToken cancel)
    {
        var server = new Uri(options.Text("server"));
        var adminKey = options.Text("admin-key");
        var deviceCount = options.Number("devices", 200_000);
        var batchSize = options.Number("batch", 1_000);
        var inFlight = options.Number("in-flight", 4);
        var singleRate = options.Number("single-rate", 50);
        var singleDevices = options.Number("single-devices", 10_000);
        var singleLanes = options.Number("single-lanes", 5);
        var warmupBatches = options.Number("warmup-batches", 10);
        var healthzDuration = options.Duration("healthz", TimeSpan.FromSeconds(5));
        var healthzConnections = options.Number("healthz-connections", 32);
        var quietDuration = options.Duration("quiet", TimeSpan.FromSeconds(5));
        var repeatIdempotent = options.Number("idempotent-rounds", 1);
        var netId = NetId.Parse(options.Text("net-id", "000013"));
        var joinEui = JoinEui.Parse(options.Text("join-eui", "70B3D57ED0000C1A"));
        var resultsPath = options.Optional("results");
        options.ThrowIfUnknown();
        if (deviceCount <= 0 || batchSize <= 0 || inFlight <= 0 || singleRate <= 0 || singleDevices <= 0)
        {
            throw new UsageException("--devices, --batch, --in-flight, --single-rate and --single-devices must be positive.");
        }

        using var http = Client(server, inFlight + 2);
        var setup = Stopwatch.StartNew();
        var api = new BenchApi(http);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        // Device sets, each a contiguous DevEUI range under a random 24-bit prefix (the maker's DevEUI block): the measured
        // batches, the warm-up batches, the single claims.
        var prefix = (ulong)RandomNumberGenerator.GetInt32(1 << 24) << 40;
        var makerKey = await api.TenantKeyAsync(adminKey, $"claims-maker-{run}", ["devices:provision"], cancel, AdminApi.BlockOf(prefix));
        // Owner A imports in batches, with one API key per phase: each phase starts with a full per-key bucket of the
        // default rate limit. Owner B's single claims are spread over keys and loopback source addresses, as many users'
        // claims would be (see SingleLanes).
        var ownerA = $"claims-owner-a-{run}";
        var ownerAWarmup = await api.TenantKeyAsync(adminKey, ownerA, ["devices:claim", "devices:read"], cancel);
        var ownerAMeasured = await api.KeyAsync(adminKey, ownerA, ["devices:claim", "devices:read"], cancel);
        var ownerAIdempotent = await api.KeyAsync(adminKey, ownerA, ["devices:claim", "devices:read"], cancel);
        var ownerB = $"claims-owner-b-{run}";
        var singleKeys = new List<string> { await api.TenantKeyAsync(adminKey, ownerB, ["devices:claim"], cancel) };
        while (singleKeys.Count < singleLanes)
        {
            singleKeys.Add(await api.KeyAsync(adminKey, ownerB, ["devices:claim"], cancel));
        }
        await api.NetworkAsync(adminKey, netId, cancel);

        var warmupCount = warmupBatches * batchSize;
        var all = Enumerable.Range(0, deviceCount + warmupCount + singleDevices)
            .Select(i => new ClaimDevice(new DevEui(prefix | (uint)i), RandomNumberGenerator.GetString(CodeAlphabet, 16)))
            .ToArray();
        var measured = all.AsMemory(0, deviceCount);
        var warmup = all.AsMemory(deviceCount, warmupCount);
        var singles = all.AsMemory(deviceCount + warmupCount, singleDevices);

        var provisionClock = Stopwatch.StartNew();
        var provisionBodies = Chunks(all, 1_000).Select(c => ProvisionBody(c, joinEui)).ToList();
        var provisioned = await BatchAsync(http, makerKey, "/api/v1/devices/batch", provisionBodies, inFlight, cancel);
        provisioned.ThrowUnlessAll("created", all.Length, "provisioning");
        var provisionRate = all.Length / provisionClock.Elapsed.TotalSeconds;
        Console.WriteLine($"claims: {all.Length:N0} devices provisioned in {provisionClock.Elapsed.TotalSeconds:F1} s ({provisionRate:N0}/s); "
            + $"set-up {setup.Elapsed.TotalSeconds:F1} s");

        var home = new Home(netId);
        var measuredBodies = Chunks(measured, batchSize).Select(c => ClaimBatchBody(c, joinEui, home)).ToList();
        var warmupBodies = Chunks(warmup, batchSize).Select(c => ClaimBatchBody(c, joinEui, home)).ToList();
        var singleSource = new SingleSource(singles.ToArray().Select(d => ClaimBody(d, joinEui, home)).ToArray());

        using var singleHttp = new SingleLanes(server, singleKeys);
        Console.WriteLine($"--- warm-up: {warmupBodies.Count} batches of {batchSize}, single claims for 2 s");
        var warmed = await BatchAsync(http, ownerAWarmup, "/api/v1/claims/batch", warmupBodies, inFlight, cancel);
        warmed.ThrowUnlessAll("claimed", warmup.Length, "warm-up batches");
        await SinglesAsync(singleHttp, singleSource, singleRate, TimeSpan.FromSeconds(2), cancel);

        Console.WriteLine($"--- GET /healthz: {healthzConnections} connections, {healthzDuration.TotalSeconds:F0} s");
        var healthz = await HealthzAsync(server, healthzConnections, healthzDuration, cancel);
        Console.WriteLine($"    {healthz.PerSecond:N0} req/s, p50 {healthz.Latency.P50:F2} ms, p99 {healthz.Latency.P99:F2} ms ({healthz.Codes})");

        Console.WriteLine($"--- single claims alone: {singleRate}/s for {quietDuration.TotalSeconds:F0} s");
        var quiet = await SinglesAsync(singleHttp, singleSource, singleRate, quietDuration, cancel);
        Console.WriteLine($"    {quiet.Describe()}");

        Console.WriteLine($"--- batch claims: {deviceCount:N0} devices in {measuredBodies.Count} batches of {batchSize}, {inFlight} in flight; "
            + $"single claims at {singleRate}/s meanwhile");
        using var stopSingles = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var loaded = SinglesAsync(singleHttp, singleSource, singleRate, Timeout.InfiniteTimeSpan, stopSingles.Token);
        var claimed = await BatchAsync(http, ownerAMeasured, "/api/v1/claims/batch", measuredBodies, inFlight, cancel);
        await stopSingles.CancelAsync();
        var underLoad = await loaded;
        claimed.ThrowUnlessAll("claimed", deviceCount, "batch claims");
        var claimsPerSecond = deviceCount / claimed.Elapsed.TotalSeconds;
        Console.WriteLine($"    {claimsPerSecond:N0} claims/s ({claimed.Elapsed.TotalSeconds:F2} s); batch p50 {claimed.Latency.P50:F0} ms, "
            + $"p99 {claimed.Latency.P99:F0} ms; {claimed.Throttled} answers 429 (waited {claimed.ThrottledWait.TotalSeconds:F1} s)");
        Console.WriteLine($"    single claims under load: {underLoad.Describe()}");

        var idempotent = new List<BatchRun>();
        for (var round = 0; round < repeatIdempotent; round++)
        {
            Console.WriteLine($"--- the same batches again (already claimed: no write), round {round + 1}");
            var again = await BatchAsync(http, ownerAIdempotent, "/api/v1/claims/batch", measuredBodies, inFlight, cancel);
            again.ThrowUnlessAll("already-claimed", deviceCount, "idempotent batches");
            idempotent.Add(again);
            Console.WriteLine($"    {deviceCount / again.Elapsed.TotalSeconds:N0} items/s ({again.Elapsed.TotalSeconds:F2} s); batch p50 {again.Latency.P50:F0} ms, "
                + $"p99 {again.Latency.P99:F0} ms; {again.Throttled} answers 429");
        }
        var idempotentPerSecond = idempotent.Count == 0 ? 0 : idempotent.Max(r => deviceCount / r.Elapsed.TotalSeconds);

        Console.WriteLine("--- the server's claim counters (GET /metrics)");
        foreach (var line in await MetricLinesAsync(http, "custodian_claims_total", cancel))
        {
            Console.WriteLine("    " + line);
        }

        var table = new StringBuilder()
            .AppendLine("| Devices | Batch × in flight | Claims/s | Batch p50 / p99 | 429s (waited) | Already-claimed items/s (no write) | /healthz req/s | Claims/s ÷ /healthz | Single claim alone p50 / p99 | Single claim under load p50 / p99 (n, answers) | Provisioned/s |")
            .AppendLine("|---:|---|---:|---|---|---:|---:|---:|---|---|---:|")
            .AppendLine(Invariant($"| {deviceCount:N0} | {batchSize:N0} × {inFlight} | **{claimsPerSecond:N0}** | {claimed.Latency.P50:F0} / {claimed.Latency.P99:F0} ms | {claimed.Throttled} ({claimed.ThrottledWait.TotalSeconds:F1} s) | {idempotentPerSecond:N0} | {healthz.PerSecond:N0} | {claimsPerSecond / healthz.PerSecond:F2} | {quiet.Latency.P50:F2} / {quiet.Latency.P99:F2} ms | **{underLoad.Latency.P50:F2} / {underLoad.Latency.P99:F2} ms** ({underLoad.Sent}, {underLoad.Codes}) | {provisionRate:N0} |"))
            .ToString();
        Console.WriteLine();
        Console.Write(table);
        if (resultsPath is not null)
        {
            await File.AppendAllTextAsync(resultsPath, table, cancel);
        }
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static HttpClient Client(Uri server, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(5),
        };

    private static IEnumerable<ReadOnlyMemory<ClaimDevice>> Chunks(ReadOnlyMemory<ClaimDevice> devices, int size)
    {
        for (var start = 0; start < devices.Length; start += size)
        {
            yield return devices.Slice(start, Math.Min(size, devices.Length - start));
        }
    }

    private static byte[] ProvisionBody(ReadOnlyMemory<ClaimDevice> devices, JoinEui joinEui) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("devices");
        foreach (var device in devices.Span)
        {
            writer.WriteStartObject();
            writer.WriteString("joinEui", joinEui.ToString());
            writer.WriteString("devEui", device.DevEui.ToString());
            writer.WriteString("macVersion", "1.0.4");
            writer.WriteString("claimCode", device.Code);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] ClaimBatchBody(ReadOnlyMemory<ClaimDevice> devices, JoinEui joinEui, Home home) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("claims");
        foreach (var device in devices.Span)
        {
            WriteClaim(writer, device, joinEui, home);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static byte[] ClaimBody(ClaimDevice device, JoinEui joinEui, Home home) => Json(writer => WriteClaim(writer, device, joinEui, home));

    private static void WriteClaim(Utf8JsonWriter writer, ClaimDevice device, JoinEui joinEui, Home home)
    {
        writer.WriteStartObject();
        writer.WriteString("joinEui", joinEui.ToString());
        writer.WriteString("devEui", device.DevEui.ToString());
        writer.WriteString("claimCode", device.Code);
        writer.WriteString("homeNetId", home.NetId.ToString());
        writer.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }
        return stream.ToArray();
    }

    /// <summary>Posts every body, <paramref name="inFlight"/> at a time; counts the items of the answers by status (and error code).</summary>
    private static async Task<BatchRun> BatchAsync(HttpClient http, string key, string path, IReadOnlyList<byte[]> bodies, int inFlight, CancellationToken cancel)
    {
        var next = -1;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var latencies = new List<double>(bodies.Count);
        var throttled = 0;
        var throttledWait = TimeSpan.Zero;
        var gate = new Lock();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                var started = Stopwatch.GetTimestamp();
                while (true)
                {
                    var answer = await PostAsync(http, key, path, bodies[i], cancel);
                    if (answer.Status == HttpStatusCode.TooManyRequests)
                    {
                        var wait = answer.RetryAfter ?? TimeSpan.FromSeconds(1);
                        lock (gate)
                        {
                            throttled++;
                            throttledWait += wait;
                        }
                        await Task.Delay(wait, cancel);
                        continue;
                    }
                    if (answer.Status != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"POST {path} answered {(int)answer.Status}: {Encoding.UTF8.GetString(answer.Body)}");
                    }
                    var items = CountItems(answer.Body);
                    lock (gate)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        foreach (var (status, n) in items)
                        {
                            counts[status] = counts.GetValueOrDefault(status) + n;
                        }
                    }
                    break;
                }
            }
        }, cancel)));
        return new BatchRun(clock.Elapsed, counts, Percentiles.Of(latencies), throttled, throttledWait);
    }

    private static Dictionary<string, int> CountItems(byte[] body)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var json = JsonDocument.Parse(body);
        foreach (var item in json.RootElement.GetProperty("results").EnumerateArray())
        {
            var status = item.GetProperty("status").GetString() ?? "?";
            if (status == "failed" && item.TryGetProperty("error", out var error) && error.TryGetProperty("code", out var code))
            {
                status = "failed:" + code.GetString();
            }
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }
        return counts;
    }

    /// <summary>
    /// Single claims, one new device each, sent on a fixed schedule (open loop: a slow answer does not delay the next
    /// request); latency from the moment a request is handed to HttpClient to its answer's last byte.
    /// </summary>
    private static async Task<SingleRun> SinglesAsync(SingleLanes lanes, SingleSource source, int rate, TimeSpan duration, CancellationToken stop)
    {
        var latencies = new List<double>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var gate = new Lock();
        var requests = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var exhausted = false;
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (duration != Timeout.InfiniteTimeSpan && due >= duration)
            {
                break;
            }
            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (!source.TryTake(out var body))
            {
                exhausted = true;
                break;
            }
            var (http, key) = lanes[i];
            requests.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                var answer = await PostAsync(http, key, "/api/v1/claims", body, CancellationToken.None);
                var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                var code = answer.Status is HttpStatusCode.Created or HttpStatusCode.OK ? ((int)answer.Status).ToString(CultureInfo.InvariantCulture) : Problem(answer);
                lock (gate)
                {
                    codes[code] = codes.GetValueOrDefault(code) + 1;
                    if (answer.Status == HttpStatusCode.Created)
                    {
                        latencies.Add(elapsed);
                    }
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(requests);
        return new SingleRun(requests.Count, codes, Percentiles.Of(latencies), exhausted);
    }

    private static string Problem(Answer answer)
    {
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            return $"{(int)answer.Status} {json.RootElement.GetProperty("code").GetString()}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ((int)answer.Status).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static async Task<HealthzRun> HealthzAsync(Uri server, int connections, TimeSpan duration, CancellationToken cancel)
    {
        using var http = Client(server, connections);
        var latencies = new List<double>();
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var gate = new Lock();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            var ok = 0;
            var other = 0;
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancel);
                await response.Content.ReadAsByteArrayAsync(cancel);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ok++;
                }
                else
                {
                    other++;
                }
            }
            lock (gate)
            {
                latencies.AddRange(mine);
                codes["200"] = codes.GetValueOrDefault("200") + ok;
                if (other > 0)
                {
                    codes["other"] = codes.GetValueOrDefault("other") + other;
                }
            }
        }, cancel)));
        var elapsed = clock.Elapsed;
        return new HealthzRun(codes.GetValueOrDefault("200") / elapsed.TotalSeconds, Percentiles.Of(latencies), Describe(codes));
    }

    private static async Task<IReadOnlyList<string>> MetricLinesAsync(HttpClient http, string name, CancellationToken cancel)
    {
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancel);
        return [.. text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal))];
    }

    private static async Task<Answer> PostAsync(HttpClient http, string key, string path, byte[] body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await http.SendAsync(request, cancel);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancel);
        return new Answer(response.StatusCode, bytes, response.Headers.RetryAfter?.Delta);
    }

    internal static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key}: {c.Value}"));

    private readonly record struct ClaimDevice(DevEui DevEui, string Code);

    private sealed record Home(NetId NetId);

    private readonly record struct Answer(HttpStatusCode Status, byte[] Body, TimeSpan? RetryAfter);

    private sealed record BatchRun(TimeSpan Elapsed, Dictionary<string, int> Counts, Percentiles Latency, int Throttled, TimeSpan ThrottledWait)
    {
        public void ThrowUnlessAll(string status, int expected, string what)
        {
            if (Counts.GetValueOrDefault(status) != expected || Counts.Count != 1)
            {
                throw new InvalidOperationException($"{what}: expected {expected} items '{status}', got {Describe(Counts)}.");
            }
        }
    }

    private sealed record SingleRun(int Sent, Dictionary<string, int> CodeCounts, Percentiles Latency, bool Exhausted)
    {
        public string Codes => ClaimsCommand.Describe(CodeCounts) + (Exhausted ? "; devices exhausted" : "");

        public string Describe() =>
            Invariant($"{Sent} sent, p50 {Latency.P50:F2} ms, p99 {Latency.P99:F2} ms, max {Latency.Max:F2} ms (of the 201s); answers: {Codes}");
    }

    private sealed record HealthzRun(double PerSecond, Percentiles Latency, string Codes);

    /// <summary>The single-claim bodies, each device claimed once, shared by the phases that send them.</summary>
    private sealed class SingleSource(byte[][] bodies)
    {
        private int _next = -1;

        public bool TryTake(out byte[] body)
        {
            var i = Interlocked.Increment(ref _next);
            body = i < bodies.Length ? bodies[i] : [];
            return i < bodies.Length;
        }
    }

    /// <summary>
    /// Where single claims come from: lane i is API key i of owner B on connections from loopback address 127.0.0.(i+2)
    /// (the batches come from 127.0.0.1), and request j takes lane j mod n. With the default limits (per key 20
    /// requests/s sustained, per client IP 40/s) 50 single claims/s over 5 lanes stay below both, as the claims of many
    /// users would; one key alone at 50/s would be refused once its burst is spent.
    /// </summary>
    private sealed class SingleLanes : IDisposable
    {
        private readonly (HttpClient Http, string Key)[] _lanes;

        public SingleLanes(Uri server, IReadOnlyList<string> keys)
        {
            _lanes = [.. keys.Select((key, i) => (From(server, IPAddress.Parse($"127.0.0.{i + 2}")), key))];
        }

        public (HttpClient Http, string Key) this[long request] => _lanes[request % _lanes.Length];

        public void Dispose()
        {
            foreach (var (http, _) in _lanes)
            {
                http.Dispose();
            }
        }

        private static HttpClient From(Uri server, IPAddress local) =>
            new(new SocketsHttpHandler
            {
                UseProxy = false,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectCallback = async (context, cancel) =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                        await socket.ConnectAsync(context.DnsEndPoint, cancel);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            })
            {
                BaseAddress = server,
                Timeout = TimeSpan.FromMinutes(1),
            };
    }

    /// <summary>The REST calls of the set-up (DESIGN.md shapes).</summary>
    internal sealed class BenchApi(HttpClient http)
    {
        /// <summary>A tenant and its key; a maker gets the DevEUI block it provisions in.</summary>
        public async Task<string> TenantKeyAsync(string adminKey, string tenantId, string[] rights, CancellationToken cancel, string? devEuiBlock = null)
        {
            object tenant = devEuiBlock is null ? new { id = tenantId, name = tenantId } : new { id = tenantId, name = tenantId, devEuiPrefixes = new[] { devEuiBlock } };
            (await SendAsync(adminKey, "/api/v1/tenants", tenant, cancel)).Dispose();
            return await KeyAsync(adminKey, tenantId, rights, cancel);
        }

        public async Task<string> KeyAsync(string adminKey, string tenantId, string[] rights, CancellationToken cancel)
        {
            using var key = await SendAsync(adminKey, $"/api/v1/tenants/{tenantId}/api-keys", new { name = "bench", rights }, cancel);
            return key.RootElement.GetProperty("key").GetString()!;
        }

        public async Task NetworkAsync(string adminKey, NetId netId, CancellationToken cancel)
        {
            (await SendAsync(adminKey, "/api/v1/networks", new { netId = netId.ToString(), name = "Claim benchmark network" }, cancel)).Dispose();
        }

        private async Task<JsonDocument> SendAsync(string bearer, string path, object body, CancellationToken cancel)
        {
            var answer = await PostAsync(http, bearer, path, JsonSerializer.SerializeToUtf8Bytes(body, JsonOptions), cancel);
            if ((int)answer.Status is < 200 or > 299)
            {
                throw new InvalidOperationException($"POST {path} answered {(int)answer.Status}: {Encoding.UTF8.GetString(answer.Body)}");
            }
            return JsonDocument.Parse(answer.Body);
        }

        private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    }
}

/// <summary>Latency percentiles in milliseconds (nearest rank); zeros when nothing was measured.</summary>
internal readonly record struct Percentiles(int Count, double P50, double P99, double Max)
{
    public static Percentiles Of(List<double> samples)
    {
        if (samples.Count == 0)
        {
            return default;
        }
        samples.Sort();
        return new Percentiles(samples.Count, Rank(samples, 0.50), Rank(samples, 0.99), samples[^1]);
    }

    private static double Rank(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

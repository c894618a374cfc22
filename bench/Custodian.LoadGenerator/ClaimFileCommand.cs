using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Custodian.LoadGenerator;

/// <summary>
/// <c>claim-file</c>: the set-up of the CLI claim benchmark (bench/cli-claims/run.sh). Creates a maker, an owner with a
/// <c>devices:claim</c> key and a network through the REST API, provisions N unclaimed devices with claim codes chosen
/// here, and writes them as a claim CSV in The Things Stack's style (<c>dev_eui;join_eui;claim_authentication_code</c>)
/// while provisioning, so a million devices never sit in memory. Writes the owner's API key to <c>--key-out</c>.
/// </summary>
internal static class ClaimFileCommand
{
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static async Task<int> RunAsync(Options options, CancellationToken cancel)
    {
        var server = new Uri(options.Text("server"));
        var adminKey = options.Text("admin-key");
        var deviceCount = options.Number("devices");
        var output = options.Text("out");
        var keyOut = options.Text("key-out");
        var batchSize = options.Number("batch", 10_000);
        var inFlight = options.Number("in-flight", 2);
        var netId = NetId.Parse(options.Text("net-id", "000013"));
        var joinEui = JoinEui.Parse(options.Text("join-eui", "70B3D57ED0000C1F"));
        options.ThrowIfUnknown();

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = inFlight + 1, UseProxy = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var api = new ClaimsCommand.BenchApi(http);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var prefix = (ulong)RandomNumberGenerator.GetInt32(1 << 24) << 40;
        var makerKey = await api.TenantKeyAsync(adminKey, $"cli-maker-{run}", ["devices:provision"], cancel, AdminApi.BlockOf(prefix));
        var ownerKey = await api.TenantKeyAsync(adminKey, $"cli-owner-{run}", ["devices:claim", "devices:read"], cancel);
        await api.NetworkAsync(adminKey, netId, cancel);
        await File.WriteAllTextAsync(keyOut, ownerKey, cancel);

        var clock = Stopwatch.StartNew();
        await using var csv = new StreamWriter(output, append: false, new UTF8Encoding(false), 1 << 20);
        await csv.WriteLineAsync("dev_eui;join_eui;claim_authentication_code");
        using var slots = new SemaphoreSlim(inFlight);
        var pending = new List<Task>();
        for (var start = 0; start < deviceCount; start += batchSize)
        {
            var devices = Enumerable.Range(start, Math.Min(batchSize, deviceCount - start))
                .Select(i => (DevEui: new DevEui(prefix | (uint)i).ToString(), Code: RandomNumberGenerator.GetString(CodeAlphabet, 16)))
                .ToList();
            foreach (var (devEui, code) in devices)
            {
                await csv.WriteLineAsync($"{devEui};{joinEui};{code}");
            }
            await slots.WaitAsync(cancel);
            pending.Add(ProvisionAsync(http, makerKey, joinEui, devices, slots, cancel));
            pending.RemoveAll(task => task.IsCompletedSuccessfully);
        }
        await Task.WhenAll(pending);
        Console.WriteLine($"claim-file: {deviceCount:N0} devices provisioned and written to {output} in {clock.Elapsed.TotalSeconds:F1} s "
            + $"({deviceCount / clock.Elapsed.TotalSeconds:N0}/s); owner key in {keyOut}");
        return 0;
    }

    private static async Task ProvisionAsync(HttpClient http, string makerKey, JoinEui joinEui, List<(string DevEui, string Code)> devices, SemaphoreSlim slots, CancellationToken cancel)
    {
        try
        {
            var body = new MemoryStream();
            using (var writer = new Utf8JsonWriter(body))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("devices");
                foreach (var (devEui, code) in devices)
                {
                    writer.WriteStartObject();
                    writer.WriteString("joinEui", joinEui.ToString());
                    writer.WriteString("devEui", devEui);
                    writer.WriteString("macVersion", "1.0.4");
                    writer.WriteString("claimCode", code);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/batch") { Content = new ByteArrayContent(body.ToArray()) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", makerKey);
                using var response = await http.SendAsync(request, cancel);
                if ((int)response.StatusCode == 429)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancel);
                    continue;
                }
                var text = await response.Content.ReadAsStringAsync(cancel);
                if (!response.IsSuccessStatusCode || text.Contains("\"failed\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Provisioning answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
                }
                return;
            }
        }
        finally
        {
            slots.Release();
        }
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Custodian.Server.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Cli.Tests.Claims;

/// <summary>
/// One real server for a test class, with a maker that provisions devices through the API (claim codes chosen here,
/// so the tests know them) and an owner whose fresh API keys the tests claim with.
/// </summary>
public sealed class ClaimTestBed : IAsyncLifetime
{
    public const string JoinEui = "70B3D57ED0000010";
    public const string NetId = "000013";
    public const string NsId = "70B3D57ED0000ABC";
    public const string AsId = "as.example";
    private const string CodeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static int _nextRange;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-claim-tests-");
    private HttpClient _maker = null!;

    public TestServer Server { get; private set; } = null!;

    public ValueTask InitializeAsync() => InitializeAsync(configuration: null, configureServices: null);

    /// <summary>A test bed of its own, on a server with this configuration and these services; dispose it.</summary>
    public static async Task<ClaimTestBed> StartAsync(IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? configureServices = null)
    {
        var bed = new ClaimTestBed();
        await bed.InitializeAsync(configuration, configureServices);
        return bed;
    }

    private async ValueTask InitializeAsync(IDictionary<string, string?>? configuration, Action<IServiceCollection>? configureServices)
    {
        Server = await TestServer.StartAsync(configuration, configureServices);
        _maker = await Server.TenantAsync("maker", "devices:provision");
        // The CLI provisions in the FreshRange blocks (ProvisionWorld), with the maker's key and no test client between.
        await Server.AssignBlocksAsync("maker", "00AA000000000000/16");
        await Server.NetworkAsync(NetId);
        await Server.NetworkAsync(NetId, NsId);
        using (var applicationServer = await Server.Admin.PostAsJsonAsync("/api/v1/application-servers", new { asId = AsId }))
        {
            applicationServer.EnsureSuccessStatusCode();
        }
        using var owner = await Server.Admin.PostAsJsonAsync("/api/v1/tenants", new { id = "owner", name = "owner" });
        owner.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    /// <summary>A fresh API key of the owner tenant, so each test has the rate limits' whole budget.</summary>
    public Task<string> OwnerKeyAsync() => Server.ApiKeyAsync("owner", "devices:claim", "devices:read");

    /// <summary>Provisions <paramref name="count"/> unclaimed devices with DevEUIs of their own range.</summary>
    public async Task<IReadOnlyList<TestDevice>> ProvisionAsync(int count)
    {
        var range = (ulong)Interlocked.Increment(ref _nextRange) << 24;
        var devices = Enumerable.Range(0, count)
            .Select(i => new TestDevice($"{0x0018B20000000000UL | range | (uint)i:X16}", JoinEui, RandomNumberGenerator.GetString(CodeAlphabet, 16), ""))
            .ToList();
        var result = new List<TestDevice>(count);
        foreach (var chunk in devices.Chunk(1_000))
        {
            var items = chunk.Select(d => new { joinEui = d.JoinEui, devEui = d.DevEui, macVersion = "1.0.4", claimCode = d.Code });
            using var response = await _maker.PostAsJsonAsync("/api/v1/devices/batch", new { devices = items }, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            foreach (var item in body.GetProperty("results").EnumerateArray())
            {
                item.GetProperty("status").GetString().Should().Be("created");
                var device = chunk[item.GetProperty("index").GetInt32()];
                result.Add(device with { Qr = item.GetProperty("qr").GetString()! });
            }
        }
        return result;
    }

    /// <summary>Which of <paramref name="devices"/> the owner holds, homed where (GET /api/v1/claims/{devEui}).</summary>
    public async Task<Dictionary<string, string>> HomesAsync(string ownerKey, IEnumerable<TestDevice> devices)
    {
        var client = Server.Client(ownerKey);
        var homes = new Dictionary<string, string>();
        string? after = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/claims?limit=1000{(after is null ? "" : "&after=" + after)}", TestContext.Current.CancellationToken);
            foreach (var claim in page.GetProperty("claims").EnumerateArray())
            {
                homes[claim.GetProperty("devEui").GetString()!] = claim.GetProperty("homeNetId").GetString()!;
            }
            after = page.GetProperty("next").GetString();
        }
        while (after is not null);
        var wanted = devices.Select(d => d.DevEui).ToHashSet();
        return homes.Where(pair => wanted.Contains(pair.Key)).ToDictionary();
    }

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, $"{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public string PathFor(string name) => Path.Combine(_directory.FullName, $"{Guid.NewGuid():N}-{name}");

    /// <summary>Runs <c>custodian claim … --net-id 000013</c> in-process against the server with <paramref name="apiKey"/>.</summary>
    internal Task<CliRun> ClaimAsync(string apiKey, params string[] args) => CliRun.AgainstAsync(Server, apiKey, ["claim", "--net-id", NetId, .. args]);
}

public sealed record TestDevice(string DevEui, string JoinEui, string Code, string Qr);

/// <summary>The report a file import wrote: its rows in order.</summary>
internal static class ClaimReport
{
    public static List<(string DevEui, string Status, string Error)> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        lines[0].Should().Be("dev_eui,status,error");
        return [.. lines.Skip(1).Select(Parse)];
    }

    private static (string, string, string) Parse(string line)
    {
        var first = line.IndexOf(',', StringComparison.Ordinal);
        var second = line.IndexOf(',', first + 1);
        var error = line[(second + 1)..];
        if (error.StartsWith('"'))
        {
            error = error[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }
        return (line[..first], line[(first + 1)..second], error);
    }
}

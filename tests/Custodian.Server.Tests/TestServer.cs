using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodian.Server.Tests;

/// <summary>
/// A real Custodian server (Kestrel on a free loopback port) with its own temporary data directory.
/// <see cref="StartAsync"/> takes configuration (<c>Custodian:…</c> keys) and may replace services; the admin
/// key comes from <c>admin-key.txt</c> (or the configured <c>Custodian:AdminKey</c>). Restart with the same
/// <see cref="DataDirectory"/> by passing it to a new instance.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly bool _ownsDirectory;
    private WebApplication? _app;
    private readonly List<HttpClient> _clients = [];

    public TestServer(string? dataDirectory = null)
    {
        _ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("custodian-test-").FullName;
    }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every address Kestrel listens on (the HTTPS one too when <c>Custodian:Tls</c> is set).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public string AdminKey { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public ICustodianStore Store => Services.GetRequiredService<ICustodianStore>();

    public static async Task<TestServer> StartAsync(
        IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? configureServices = null, string? dataDirectory = null)
    {
        var server = new TestServer(dataDirectory);
        await server.StartCoreAsync(configuration ?? new Dictionary<string, string?>(), configureServices);
        return server;
    }

    /// <summary>Builds (without starting) a server on this data directory, for tests of a failing start.</summary>
    public WebApplication Build(IDictionary<string, string?> configuration, Action<IServiceCollection>? configureServices = null)
    {
        var args = new List<string> { "--urls", "http://127.0.0.1:0", "--environment", "Production", "--Custodian:DataDirectory", DataDirectory };
        foreach (var (key, value) in configuration)
        {
            args.Add("--" + key);
            args.Add(value ?? "");
        }
        return CustodianApp.Build([.. args], services =>
        {
            // Only the captured logs: the console would flood the test output with every server's lines.
            services.AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Debug));
            services.AddSingleton<ILoggerProvider>(Logs);
            configureServices?.Invoke(services);
        });
    }

    private async Task StartCoreAsync(IDictionary<string, string?> configuration, Action<IServiceCollection>? configureServices)
    {
        _app = Build(configuration, configureServices);
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Addresses = [.. addresses.Addresses.Select(a => new Uri(a))];
        BaseAddress = Addresses.First(a => a.Scheme == Uri.UriSchemeHttp);
        AdminKey = configuration.TryGetValue("Custodian:AdminKey", out var configured) && configured is not null
            ? configured
            : (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-key.txt"), TestContext.Current.CancellationToken)).Trim();
        _makerKeys[AdminKey] = Tenant.OperatorId;
        Admin = Client(AdminKey);
    }

    /// <summary>
    /// A client sending <paramref name="apiKey"/> as its bearer key (none when null). A maker's key (one made here with
    /// devices:provision, or the admin key) gets a <see cref="MakerClient"/>.
    /// </summary>
    public HttpClient Client(string? apiKey = null) =>
        apiKey is not null && _makerKeys.TryGetValue(apiKey, out var tenantId) ? MakerClient(tenantId, apiKey) : UnassistedClient(apiKey);

    /// <summary>A client that sends <paramref name="apiKey"/> and nothing more: no DevEUI block is assigned on its behalf.</summary>
    public HttpClient UnassistedClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a tenant and an API key for it with <paramref name="rights"/>; returns a client using that key.</summary>
    public async Task<HttpClient> TenantAsync(string tenantId, params string[] rights)
    {
        var ct = TestContext.Current.CancellationToken;
        using (var created = await Admin.PostAsJsonAsync("/api/v1/tenants", new { id = tenantId, name = tenantId }, ct))
        {
            created.EnsureSuccessStatusCode();
        }
        return Client(await ApiKeyAsync(tenantId, rights));
    }

    /// <summary>
    /// A client of a maker: before each provisioning call it sends, the tenant is given the DevEUI blocks of exactly the
    /// DevEUIs it provisions (as the operator assigns a maker its blocks ahead of a production run), unless another
    /// tenant holds them. Tests of the blocks themselves use <see cref="Client"/>, which assigns nothing.
    /// </summary>
    public HttpClient MakerClient(string tenantId, string apiKey)
    {
        var client = new HttpClient(new BlockGrantingHandler(this, tenantId) { InnerHandler = new HttpClientHandler() }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _clients.Add(client);
        return client;
    }

    private readonly SemaphoreSlim _grants = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _makerKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<ulong>> _granted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DevEuiBlock>> _assigned = new(StringComparer.Ordinal);

    /// <summary>
    /// Gives <paramref name="tenantId"/> these blocks, as the operator does for a maker that provisions through the CLI
    /// or the console (no <see cref="MakerClient"/> on the way); what its maker clients provision is added to them.
    /// </summary>
    public async Task AssignBlocksAsync(string tenantId, params string[] blocks)
    {
        var ct = TestContext.Current.CancellationToken;
        await _grants.WaitAsync(ct);
        try
        {
            _assigned[tenantId] = [.. blocks.Select(b => DevEuiBlock.TryParse(b, out var block, out var error) ? block : throw new ArgumentException(error))];
            await PatchBlocksAsync(tenantId, _granted.GetValueOrDefault(tenantId) ?? [], ct);
        }
        finally
        {
            _grants.Release();
        }
    }

    /// <summary>Gives <paramref name="tenantId"/> blocks that hold <paramref name="devEuis"/> besides those given before.</summary>
    internal async Task GrantAsync(string tenantId, IEnumerable<ulong> devEuis, CancellationToken cancellationToken)
    {
        await _grants.WaitAsync(cancellationToken);
        try
        {
            if (!_granted.TryGetValue(tenantId, out var granted))
            {
                _granted[tenantId] = granted = [];
            }
            var assigned = _assigned.GetValueOrDefault(tenantId) ?? [];
            var added = devEuis.Where(eui => !assigned.Any(block => block.Contains(new Lorawan.DevEui(eui)))).ToList();
            var before = granted.Count;
            granted.UnionWith(added);
            if (granted.Count == before)
            {
                return;
            }
            if (!await PatchBlocksAsync(tenantId, granted, cancellationToken))
            {
                // Another tenant holds some of them: the provisioning call meets the rule as any maker would.
                granted.ExceptWith(added);
            }
        }
        finally
        {
            _grants.Release();
        }
    }

    private async Task<bool> PatchBlocksAsync(string tenantId, SortedSet<ulong> granted, CancellationToken cancellationToken)
    {
        var blocks = (_assigned.GetValueOrDefault(tenantId) ?? []).Select(b => b.ToString()).Concat(DevEuiBlockCover.Of(granted)).ToList();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/tenants/{tenantId}")
        {
            Content = JsonContent.Create(new { devEuiPrefixes = blocks }),
        };
        patch.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var plain = new HttpClient { BaseAddress = BaseAddress };
        using var answer = await plain.SendAsync(patch, cancellationToken);
        return answer.IsSuccessStatusCode;
    }

    public async Task<string> ApiKeyAsync(string tenantId, params string[] rights)
    {
        var ct = TestContext.Current.CancellationToken;
        using var key = await Admin.PostAsJsonAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "test", rights }, ct);
        key.EnsureSuccessStatusCode();
        var secret = (await key.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
        if (rights.Contains("devices:provision"))
        {
            _makerKeys[secret] = tenantId;
        }
        return secret;
    }

    /// <summary>Registers a network (NetID, optional NSID); returns its Backend Interfaces bearer token.</summary>
    public async Task<string> NetworkAsync(string netId, string? nsId = null)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await Admin.PostAsJsonAsync("/api/v1/networks", new { netId, nsId }, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
    }

    public async Task StopAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        _clients.Clear();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

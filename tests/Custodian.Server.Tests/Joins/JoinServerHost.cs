using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Custodian.Lorawan.Crypto;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// The real server on loopback with real SQLite (plain HTTP, and HTTPS with client certificates from
/// <c>Custodian:Tls</c>), set up through the REST API as an operator and a maker would, plus the lora-packet
/// device. Devices are pre-activated (owned by their maker, homed at a network) or left unclaimed.
/// </summary>
public sealed class JoinServerHost : IAsyncLifetime
{
    public const string MakerTenant = "maker";
    private static long _nextDevEui = 0x00A0_0000_0000_0001;
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-joins-").FullName;

    public TestServer Server { get; private set; } = null!;

    /// <summary>The maker's API client (devices:provision, devices:read, events:read).</summary>
    public HttpClient Maker { get; private set; } = null!;

    /// <summary>A client without an API key: peers authenticate per Backend Interfaces request.</summary>
    public HttpClient Client { get; private set; } = null!;

    public LoraPacketDevice Device { get; } = new();

    public Uri HttpsAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var certificatePath = Path.Combine(_directory, "server.pfx");
        await File.WriteAllBytesAsync(certificatePath, SelfSigned("CN=custodian-test-server").Export(X509ContentType.Pfx, "secret"), TestContext.Current.CancellationToken);
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Tls:Url"] = "https://127.0.0.1:0",
            ["Custodian:Tls:CertificateFile"] = certificatePath,
            ["Custodian:Tls:CertificatePassword"] = "secret",
        });
        var addresses = Server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        HttpsAddress = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        Maker = await Server.TenantAsync(MakerTenant, "devices:provision", "devices:read", "events:read");
        Client = Server.Client();
    }

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A client of the HTTPS endpoint presenting <paramref name="certificate"/> (or none); it trusts the test server.</summary>
    public HttpClient MutualTlsClient(X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = certificate is null ? null : [certificate],
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
            },
        };
        return new HttpClient(handler) { BaseAddress = HttpsAddress };
    }

    /// <summary>Registers a network through the REST API; returns its bearer token.</summary>
    public async Task<string> AddNetworkAsync(NetId netId, string? nsId = null, KeyEncryptionKey? kek = null, X509Certificate2? certificate = null)
    {
        var (status, body) = await Server.Admin.PostAsync("/api/v1/networks", new
        {
            netId = netId.ToString(),
            nsId,
            kek = kek is null ? null : new { label = kek.Label, key = Hex(kek) },
            clientCertificate = certificate?.ExportCertificatePem(),
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    /// <summary>Registers an application server through the REST API; returns its bearer token.</summary>
    public async Task<string> AddApplicationServerAsync(string asId, KeyEncryptionKey? kek = null)
    {
        var (status, body) = await Server.Admin.PostAsync("/api/v1/application-servers", new
        {
            asId,
            kek = kek is null ? null : new { label = kek.Label, key = Hex(kek) },
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return body.GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Provisions a device with root keys of our choosing (as a maker uploading what it flashed), pre-activated at
    /// <paramref name="homeNetId"/>, or unclaimed when that is null.
    /// </summary>
    public async Task<DeviceUnderTest> ProvisionAsync(MacVersion macVersion, NetId? homeNetId, string? homeNsId = null, string? asId = null)
    {
        var devEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui));
        var joinEui = JoinEui.Parse("70B3D57ED0000ABC");
        var nwkKey = Key128.Generate().ExportSecretHex();
        var appKey = macVersion.IsLorawan11 ? Key128.Generate().ExportSecretHex() : null;
        var (status, body) = await Maker.PostAsync("/api/v1/devices", new
        {
            joinEui = joinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = macVersion.ToString(),
            // A 1.0.x device's one root key is its appKey on the API; a 1.1 device has both.
            appKey = appKey ?? nwkKey,
            nwkKey = appKey is null ? null : nwkKey,
            homeNetId = homeNetId?.ToString(),
            homeNsId,
            asId,
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return new DeviceUnderTest(devEui, joinEui, macVersion, nwkKey, appKey);
    }

    /// <summary>The device's Backend Interfaces audit events (joins, rejoins, AppSKeys), newest first, as the maker (its owner) reads them.</summary>
    public async Task<IReadOnlyList<AuditRecord>> EventsAsync(DevEui devEui)
    {
        var (status, body) = await Maker.GetJsonAsync($"/api/v1/events?devEui={devEui}&limit=100");
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return
        [
            .. body.GetProperty("events").EnumerateArray()
                .Select(e => new AuditRecord(e.Text("type")!, e.Text("code"), e.Text("detail"), e.Text("actor")))
                .Where(e => e.Type.Split('.')[0] is "join" or "rejoin" or "appskey"),
        ];
    }

    /// <summary>GET /metrics.</summary>
    public async Task<string> MetricsAsync()
    {
        using var response = await Client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so the private key is usable by TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx, "x"), "x");
    }

    private static string Hex(KeyEncryptionKey kek)
    {
        var bytes = new byte[kek.KeySize];
        kek.ExportSecret(bytes);
        return Convert.ToHexString(bytes);
    }
}

/// <summary>What the maker flashed into a device: its identity and root keys (hex), for the lora-packet device.</summary>
public sealed record DeviceUnderTest(DevEui DevEui, JoinEui JoinEui, MacVersion MacVersion, string NwkKeyHex, string? AppKeyHex);

/// <summary>One event of <c>GET /api/v1/events</c>.</summary>
public sealed record AuditRecord(string Type, string? Code, string? Detail, string? Actor);

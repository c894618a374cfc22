using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using Custodian.Lorawan;
using Custodian.Lorawan.Crypto;
using Custodian.Server.Observability;
using Custodian.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests.Joins;

/// <summary>
/// The real server on loopback (plain HTTP, and HTTPS with client certificates from <c>Custodian:Tls</c>),
/// the lora-packet device, and set-up helpers. Until the REST API is on main, peers and devices are
/// seeded straight into the server's store with the server's key ring.
/// </summary>
public sealed class JoinServerHost : IAsyncLifetime
{
    public const string OwnerTenant = "owner";
    public const string MakerTenant = "maker";
    private static long _nextDevEui = 0x00A0_0000_0000_0001;
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-joins-").FullName;
    private WebApplication? _app;

    public InMemoryCustodianStore Store { get; } = new();

    public KeyRing KeyRing { get; } = new([new KeyEncryptionKey("js-1", RandomNumberGenerator.GetBytes(32))], "js-1");

    public LoraPacketDevice Device { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Uri HttpsAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var certificatePath = Path.Combine(_directory, "server.pfx");
        await File.WriteAllBytesAsync(certificatePath, SelfSigned("CN=custodian-test-server").Export(X509ContentType.Pfx, "secret"), TestContext.Current.CancellationToken);
        _app = CustodianApp.Build(
            [
                "--urls", "http://127.0.0.1:0", "--environment", "Production",
                "--Custodian:Tls:CertificateFile", certificatePath,
                "--Custodian:Tls:CertificatePassword", "secret",
                "--Custodian:Tls:Url", "https://127.0.0.1:0",
            ],
            services =>
            {
                services.AddSingleton<ICustodianStore>(Store);
                services.AddSingleton(KeyRing);
            });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Client = new HttpClient { BaseAddress = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))) };
        HttpsAddress = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Device.DisposeAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
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

    /// <summary>Registers a network; returns its bearer token.</summary>
    public async Task<string> AddNetworkAsync(NetId netId, string? nsId = null, KeyEncryptionKey? kek = null, X509Certificate2? certificate = null)
    {
        var token = SecretToken.Generate(SecretToken.PeerTokenPrefix);
        var network = new Network(
            netId, nsId, "net " + netId, kek is null ? null : KeyRing.SealPeerKek(kek), SecretToken.Hash(token),
            certificate is null ? null : SHA256.HashData(certificate.RawData), DateTimeOffset.UtcNow);
        (await Store.CreateNetworkAsync(network, TestContext.Current.CancellationToken)).Should().BeTrue();
        return token;
    }

    /// <summary>Registers an application server; returns its bearer token.</summary>
    public async Task<string> AddApplicationServerAsync(string asId, KeyEncryptionKey? kek = null)
    {
        var token = SecretToken.Generate(SecretToken.PeerTokenPrefix);
        var server = new ApplicationServer(asId, kek is null ? null : KeyRing.SealPeerKek(kek), SecretToken.Hash(token), null, DateTimeOffset.UtcNow);
        (await Store.CreateApplicationServerAsync(server, TestContext.Current.CancellationToken)).Should().BeTrue();
        return token;
    }

    /// <summary>A device with generated root keys, claimed by <see cref="OwnerTenant"/> and homed at <paramref name="homeNetId"/> (unclaimed when null).</summary>
    public async Task<ProvisionedDevice> ProvisionAsync(MacVersion macVersion, NetId? homeNetId, string? homeNsId = null, string? asId = null, Func<Device, Device>? tamper = null)
    {
        var devEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui));
        var joinEui = JoinEui.Parse("70B3D57ED0000ABC");
        var nwkKey = Key128.Generate();
        var appKey = macVersion.IsLorawan11 ? Key128.Generate() : (Key128?)null;
        var keys = appKey is { } app ? RootKeys.ForLorawan11(new NwkKey(nwkKey), new AppKey(app)) : RootKeys.ForLorawan10(new NwkKey(nwkKey));
        var device = new Device
        {
            DevEui = devEui,
            JoinEui = joinEui,
            MacVersion = macVersion,
            MakerTenantId = MakerTenant,
            RootKeys = KeyRing.SealRootKeys(keys),
            ClaimCode = KeyRing.SealClaimCode(ClaimCode.Generate()),
            Owner = homeNetId is { } home ? new Ownership(OwnerTenant, home, homeNsId, asId, DateTimeOffset.UtcNow) : null,
            OwnershipEpoch = homeNetId is null ? 0 : 1,
            NextJoinNonce = 1,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        (await Store.CreateDevicesAsync([tamper is null ? device : tamper(device)], TestContext.Current.CancellationToken)).Single().Should().BeTrue();
        return new ProvisionedDevice(devEui, joinEui, macVersion, nwkKey.ExportSecretHex(), appKey?.ExportSecretHex());
    }

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(string tenantId, DevEui devEui) =>
        Store.ListEventsAsync(new EventQuery(tenantId, devEui, null, 100), TestContext.Current.CancellationToken);

    /// <summary>The server's Prometheus text.</summary>
    public async Task<string> MetricsAsync()
    {
        using var stream = new MemoryStream();
        await _app!.Services.GetRequiredService<CustodianMetrics>().Registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so the private key is usable by TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx, "x"), "x");
    }
}

/// <summary>What the maker flashed into a device: its identity and root keys (hex), for the lora-packet device.</summary>
public sealed record ProvisionedDevice(DevEui DevEui, JoinEui JoinEui, MacVersion MacVersion, string NwkKeyHex, string? AppKeyHex);

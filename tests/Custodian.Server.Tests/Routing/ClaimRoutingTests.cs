using System.Net;
using System.Net.Http.Json;
using Custodian.Server.Tests.ClaimsV2;
using Custodian.Server.Tests.Joins;
using static Custodian.Server.Tests.Joins.BackendInterfacesClient;

namespace Custodian.Server.Tests.Routing;

/// <summary>
/// Claim routing end to end: two Custodian instances on loopback, each with its own SQLite data directory.
/// Instance A holds the devices (a maker provisioned them there); instance B routes A's JoinEUI prefix to A and
/// authenticates there with an API key (or its client certificate) of a tenant of A. An owner claims on B by QR
/// text; B's list, status and join-euis show the claim at A; the device (lora-packet) joins through A via the home
/// network registered on A; unclaiming on B releases the device on A.
/// </summary>
public sealed class ClaimRoutingTests : IAsyncLifetime
{
    private const string Prefix = "70B3D57ED0000000/40";
    private const string HomeNetId = "000013";
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000123");
    private static long _nextDevEui = 0x00C0_0000_0000_0001;
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-routing-").FullName;
    private readonly LoraPacketDevice _device = new();
    private TestCertificates _certificates = null!;
    private TestServer _a = null!;
    private TestServer? _b;
    private HttpClient _maker = null!;
    private string _networkToken = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _certificates = new TestCertificates(_directory);
        var (_, serverCertificate, serverKey) = _certificates.Issue("join-server-a", server: true);
        _a = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Tls:Url"] = "https://127.0.0.1:0",
            ["Custodian:Tls:CertificateFile"] = serverCertificate,
            ["Custodian:Tls:KeyFile"] = serverKey,
        });
        _maker = await _a.TenantAsync("maker", "devices:provision", "devices:read");
        _networkToken = await _a.NetworkAsync(HomeNetId);
    }

    public async ValueTask DisposeAsync()
    {
        await _device.DisposeAsync();
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
        _certificates?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_claim_on_B_is_made_at_A_the_device_joins_through_A_and_unclaim_on_B_releases_it_at_A()
    {
        var routerKey = await _a.ApiKeyAsync(await TenantOnAAsync("router-b"), "devices:claim", "devices:read", "devices:unclaim");
        var router = _a.Client(routerKey);
        _b = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Claims:JoinServers:a:Url"] = _a.BaseAddress.ToString(),
            ["Custodian:Claims:JoinServers:a:Token"] = routerKey,
            ["Custodian:Claims:Routes:0:Prefix"] = Prefix,
            ["Custodian:Claims:Routes:0:JoinServer"] = "a",
        });
        var owner = await _b.TenantAsync("owner", "devices:claim", "devices:read", "devices:unclaim", "events:read");
        var (device, qr) = await ProvisionOnAAsync();

        // Claim by QR text on B: forwarded to A, recorded on B.
        var (claimStatus, claimed) = await owner.PostAsync("/api/v1/claims", new { qr, homeNetId = HomeNetId });
        claimStatus.Should().Be(HttpStatusCode.Created, claimed.ToString());
        claimed.Text("joinServer").Should().Be("a");
        claimed.Text("devEui").Should().Be(device.DevEui.ToString());
        claimed.Text("joinEui").Should().Be(JoinEui.ToString());
        claimed.Text("homeNetId").Should().Be(HomeNetId);
        (await router.GetClaimAsync(device.DevEui)).Body.GetRawText().Should().Be("""{"homeNetID":"000013","locked":true}""", "A holds the claim for B's key");

        // B's list, status and join-euis name A.
        var (_, list) = await owner.GetJsonAsync("/api/v1/claims");
        list.GetProperty("claims").EnumerateArray().Should().ContainSingle()
            .Which.Text("joinServer").Should().Be("a");
        var (statusCode, status) = await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}");
        statusCode.Should().Be(HttpStatusCode.OK, status.ToString());
        status.Text("homeNetId").Should().Be(HomeNetId);
        status.GetProperty("locked").GetBoolean().Should().BeTrue();
        status.Text("joinServer").Should().Be("a");
        var (_, routed) = await owner.GetJsonAsync($"/api/v1/join-euis/{JoinEui}");
        routed.Text("joinServer").Should().Be("a");
        routed.GetProperty("claimable").GetBoolean().Should().BeTrue();
        var (_, local) = await owner.GetJsonAsync("/api/v1/join-euis/70B3D57EE0000001");
        local.Text("joinServer").Should().Be("local");

        // The device joins through A, via the home network registered on A.
        var join = await AnswerAsync(_a.Client(), _networkToken, JoinReq(device, await _device.JoinRequestAsync(device, 1), HomeNetId));
        join.ResultCode().Should().Be("Success", join.Description());
        var accept = await _device.JoinAcceptAsync(device, 1, join.GetProperty("PHYPayload").GetString()!);
        accept["micValid"]!.GetValue<bool>().Should().BeTrue();

        // Unclaim on B releases it at A.
        using (var unclaim = await owner.DeleteAsync($"/api/v1/claims/{device.DevEui}", Ct))
        {
            unclaim.StatusCode.Should().Be(HttpStatusCode.NoContent, await unclaim.Content.ReadAsStringAsync(Ct));
        }
        (await router.GetClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NotFound);
        (await owner.GetJsonAsync("/api/v1/claims")).Body.GetProperty("claims").GetArrayLength().Should().Be(0);
        var refused = await AnswerAsync(_a.Client(), _networkToken, JoinReq(device, await _device.JoinRequestAsync(device, 2), HomeNetId));
        refused.ResultCode().Should().NotBe("Success", "an unclaimed device does not join");

        // B audited both, in the owner's tenant.
        var (_, events) = await owner.GetJsonAsync($"/api/v1/events?devEui={device.DevEui}");
        events.GetProperty("events").EnumerateArray().Select(e => e.Text("type")).Should().Contain(["claim.succeeded", "claim.unclaimed"]);
    }

    [Fact]
    public async Task A_wrong_code_on_B_is_refused_by_A_in_the_words_of_a_local_refusal()
    {
        var routerKey = await _a.ApiKeyAsync(await TenantOnAAsync("router-b"), "devices:claim", "devices:read", "devices:unclaim");
        _b = await StartBAsync(new() { ["Custodian:Claims:JoinServers:a:Token"] = routerKey });
        var owner = await _b.TenantAsync("owner", "devices:claim", "devices:read");
        var (device, _) = await ProvisionOnAAsync();

        var (status, problem) = await owner.PostAsync("/api/v1/claims", new
        {
            joinEui = JoinEui.ToString(),
            devEui = device.DevEui.ToString(),
            claimCode = "WRONGCODE1",
            homeNetId = HomeNetId,
        });
        var (_, unknown) = await owner.PostAsync("/api/v1/claims", new { joinEui = JoinEui.ToString(), devEui = "00C0FFFFFFFFFFFF", claimCode = "WRONGCODE1", homeNetId = HomeNetId });

        problem.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        problem.Detail().Should().Be($"No device {device.DevEui} with JoinEUI {JoinEui} accepts this claim code.");
        unknown.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
        status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task B_authenticates_to_A_with_a_client_certificate_signed_by_a_private_CA()
    {
        var (clientCertificate, certificateFile, keyFile) = _certificates.Issue("custodian-b", server: false);
        var routerTenant = await TenantOnAAsync("router-mtls");
        var (created, key) = await _a.Admin.PostAsync($"/api/v1/tenants/{routerTenant}/api-keys", new
        {
            name = "custodian-b",
            rights = new[] { "devices:claim", "devices:read", "devices:unclaim" },
            clientCertificate = clientCertificate.ExportCertificatePem(),
        });
        created.Should().Be(HttpStatusCode.Created, key.ToString());
        var https = _a.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        _b = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Claims:JoinServers:a:Url"] = https.ToString(),
            ["Custodian:Claims:JoinServers:a:CertificateFile"] = certificateFile,
            ["Custodian:Claims:JoinServers:a:KeyFile"] = keyFile,
            ["Custodian:Claims:JoinServers:a:CaFile"] = _certificates.CaFile,
            ["Custodian:Claims:Routes:0:Prefix"] = Prefix,
            ["Custodian:Claims:Routes:0:JoinServer"] = "a",
        });
        var owner = await _b.TenantAsync("owner", "devices:claim", "devices:read", "devices:unclaim");
        var (device, qr) = await ProvisionOnAAsync();

        var (claimStatus, claimed) = await owner.PostAsync("/api/v1/claims", new { qr, homeNetId = HomeNetId });
        var (statusCode, status) = await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}");
        using var unclaim = await owner.DeleteAsync($"/api/v1/claims/{device.DevEui}", Ct);

        claimStatus.Should().Be(HttpStatusCode.Created, claimed.ToString());
        statusCode.Should().Be(HttpStatusCode.OK, status.ToString());
        status.Text("joinServer").Should().Be("a");
        unclaim.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _a.Logs.Lines.Should().Contain(m => m.Contains("Claim by tenant router-mtls", StringComparison.Ordinal), "A saw the claim as the tenant whose key holds B's certificate");
    }

    [Fact]
    public async Task A_Join_Server_that_cannot_be_reached_is_503_naming_it_never_its_token()
    {
        const string token = "cust_never-shown-anywhere-1234567890";
        _b = await StartBAsync(new()
        {
            ["Custodian:Claims:JoinServers:a:Url"] = "http://127.0.0.1:9/",
            ["Custodian:Claims:JoinServers:a:Token"] = token,
            ["Custodian:Claims:JoinServers:a:Timeout"] = "00:00:05",
        });
        var owner = await _b.TenantAsync("owner", "devices:claim", "devices:read");

        var (status, problem) = await owner.PostAsync("/api/v1/claims", new { joinEui = JoinEui.ToString(), devEui = "00C0000000000099", claimCode = "SECRET42", homeNetId = HomeNetId });

        status.Should().Be(HttpStatusCode.ServiceUnavailable, problem.ToString());
        problem.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "join_server_unavailable");
        problem.Detail().Should().StartWith("Join Server 'a' could not be reached");
        problem.ToString().Should().NotContain(token);
        _b.Logs.Lines.Should().NotContain(m => m.Contains(token, StringComparison.Ordinal) || m.Contains("SECRET42", StringComparison.Ordinal));
        _b.Logs.Lines.Should().Contain(m => m.Contains("Join Server a is unavailable", StringComparison.Ordinal));
    }

    private Task<TestServer> StartBAsync(Dictionary<string, string?> configuration)
    {
        configuration.TryAdd("Custodian:Claims:JoinServers:a:Url", _a.BaseAddress.ToString());
        configuration["Custodian:Claims:Routes:0:Prefix"] = Prefix;
        configuration["Custodian:Claims:Routes:0:JoinServer"] = "a";
        return TestServer.StartAsync(configuration);
    }

    private async Task<string> TenantOnAAsync(string id)
    {
        using var response = await _a.Admin.PostAsJsonAsync("/api/v1/tenants", new { id, name = id }, Ct);
        response.EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>A 1.0.3 device provisioned unclaimed on A by its maker, with a root key we know (for lora-packet); its QR text.</summary>
    private async Task<(DeviceUnderTest Device, string Qr)> ProvisionOnAAsync()
    {
        var devEui = new DevEui((ulong)Interlocked.Increment(ref _nextDevEui));
        var rootKey = Key128.Generate().ExportSecretHex();
        var (status, body) = await _maker.PostAsync("/api/v1/devices", new
        {
            joinEui = JoinEui.ToString(),
            devEui = devEui.ToString(),
            macVersion = "1.0.3",
            appKey = rootKey,
        });
        status.Should().Be(HttpStatusCode.Created, body.ToString());
        return (new DeviceUnderTest(devEui, JoinEui, MacVersion.V1_0_3, rootKey, null), body.GetProperty("qr").GetString()!);
    }
}

using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Custodian.Server.Tests.ClaimsV2;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.Interop;

/// <summary>
/// Our v2 claim API as The Things Stack's Device Claiming Server uses it (<see cref="TtsDeviceClaimingClient"/>,
/// after lorawan-stack v3.32 <c>pkg/deviceclaimingserver/enddevices/ttjsv2/ttjs.go</c>): over the mTLS endpoint
/// with the client certificate registered on the API key, HTTP/2, <c>asID: ""</c> unless <c>dcs.edcs.as-id</c> is set.
/// </summary>
public sealed class TtsDeviceClaimingTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000ABC");
    private static long _nextDevEui = 0x00C1_0000_0000_0001;
    private TtsDeviceClaimingClient? _dcs;

    private static DevEui NextDevEui() => new((ulong)Interlocked.Increment(ref _nextDevEui));

    [Fact]
    public async Task A_claim_with_asID_empty_as_the_DCS_sends_it_by_default_is_accepted_over_HTTP2_with_the_client_certificate()
    {
        var dcs = await DcsAsync();
        var device = await DeviceAsync();

        var (outcome, status, message) = await dcs.ClaimAsync(device.DevEui, device.ClaimCode);

        dcs.ClaimBody("X").Should().Be("""{"ownerToken":"X","homeNetID":"000013","asID":"","lock":true}""");
        status.Should().Be(HttpStatusCode.Created, message);
        outcome.Should().Be("ok");
        dcs.LastVersion.Should().Be(HttpVersion.Version20);
        var status2 = await host.Server.Client(await host.Server.ApiKeyAsync(await TenantOfDcsAsync(), "devices:read")).GetClaimAsync(device.DevEui);
        status2.Body.GetRawText().Should().Be("""{"homeNetID":"000013","locked":true}""", "a blank asID is no AS at all");
    }

    [Theory]
    [InlineData("")]
    [InlineData("ABC12")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456")]
    [InlineData("AB-CD-EF")]
    [InlineData("ÄBCDEFG")]
    [InlineData("   ")]
    public async Task Any_unusable_owner_token_is_TTJS_wrong_token_403_which_TTS_reads_as_device_access_denied(string token)
    {
        var dcs = await DcsAsync();
        var device = await DeviceAsync();

        var (outcome, status, message) = await dcs.ClaimAsync(device.DevEui, token);

        status.Should().Be(HttpStatusCode.Forbidden);
        message.Should().Be("claim failed with given owner token");
        outcome.Should().Be("device_access_denied");
    }

    [Fact]
    public async Task Unusable_owner_tokens_count_as_wrong_codes_for_the_device_lock_out()
    {
        var dcs = await DcsAsync();
        var device = await DeviceAsync();
        var attempts = 0;
        (string Outcome, HttpStatusCode Status, string? Message) answer;
        do
        {
            answer = await dcs.ClaimAsync(device.DevEui, attempts % 2 == 0 ? "" : "X");
            attempts++;
        }
        while (answer.Status == HttpStatusCode.Forbidden && attempts < 20);

        answer.Status.Should().Be(HttpStatusCode.TooManyRequests, answer.Message);
        attempts.Should().Be(7, "5 free wrong codes, the 6th locks the device, the 7th finds it locked");
        (await dcs.ClaimAsync(device.DevEui, device.ClaimCode)).Status.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Unusable_owner_tokens_spend_the_API_key_wrong_code_budget()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "2",
        });
        await server.NetworkAsync("000013");
        var dcs = new TtsDeviceClaimingClient(await server.TenantAsync("dcs", "devices:claim"), "000013");

        var first = await dcs.ClaimAsync(NextDevEui(), "");
        var second = await dcs.ClaimAsync(NextDevEui(), "a-b");
        var third = await dcs.ClaimAsync(NextDevEui(), "");

        first.Outcome.Should().Be("device_access_denied");
        second.Outcome.Should().Be("device_access_denied");
        third.Status.Should().Be(HttpStatusCode.TooManyRequests, "two wrong codes spent the key's budget of two");
    }

    [Theory]
    [InlineData("00FFFF", null, "", "homeNetID: ")]
    [InlineData("000013", "XYZ", "", "homeNSID: ")]
    [InlineData("000013", null, "unknown-as.example", "asID: ")]
    [InlineData("000013", null, "bad as", "asID: ")]
    public async Task Refusals_of_the_home_name_the_v2_fields(string netId, string? nsId, string asId, string prefix)
    {
        var device = await DeviceAsync();
        var dcs = new TtsDeviceClaimingClient(await MutualTlsAsync(), netId, nsId, asId);

        var (outcome, status, message) = await dcs.ClaimAsync(device.DevEui, device.ClaimCode);

        status.Should().Be(HttpStatusCode.BadRequest);
        outcome.Should().Be("internal_error");
        message.Should().StartWith(prefix);
    }

    private async Task<ProvisionedDevice> DeviceAsync()
    {
        await host.EnsureNetworkAsync(NetId.Parse("000013"));
        return await host.Maker.ProvisionUnclaimedAsync(NextDevEui(), JoinEui);
    }

    private async Task<TtsDeviceClaimingClient> DcsAsync() => _dcs ??= new TtsDeviceClaimingClient(await MutualTlsAsync(), "000013");

    private string? _tenant;
    private HttpClient? _mutualTls;

    private async Task<string> TenantOfDcsAsync()
    {
        await MutualTlsAsync();
        return _tenant!;
    }

    /// <summary>A tenant whose API key carries the DCS's client certificate, and an HTTP/2 client presenting it.</summary>
    private async Task<HttpClient> MutualTlsAsync()
    {
        if (_mutualTls is not null)
        {
            return _mutualTls;
        }
        _tenant = $"tts-dcs-{Guid.NewGuid():N}"[..24];
        await host.Server.TenantAsync(_tenant, "devices:read");
        var certificate = JoinServerHost.SelfSigned("CN=tts-dcs.example");
        var (status, key) = await host.Server.Admin.PostAsync($"/api/v1/tenants/{_tenant}/api-keys", new
        {
            name = "tts-dcs",
            rights = new[] { "devices:claim", "devices:read", "devices:unclaim" },
            clientCertificate = certificate.ExportCertificatePem(),
        });
        status.Should().Be(HttpStatusCode.Created, key.ToString());
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            },
        };
        return _mutualTls = new HttpClient(handler)
        {
            BaseAddress = host.HttpsAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }
}

using System.Net;
using System.Text.Json;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.ClaimsV2;

/// <summary>
/// The Things Join Server v2 claim API against the real server (SQLite, plain HTTP and the mTLS endpoint): the
/// wire format and status codes TTS's Device Claiming Server relies on.
/// </summary>
public sealed class V2ClaimApiTests(JoinServerHost host) : IClassFixture<JoinServerHost>
{
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000ABC");
    private static readonly NetId Home = NetId.Parse("000013");
    private static long _nextDevEui = 0x00B0_0000_0000_0001;
    private static readonly string[] AllRights = ["devices:claim", "devices:read", "devices:unclaim"];
    private HttpClient? _owner;
    private HttpClient? _other;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DevEui NextDevEui() => new((ulong)Interlocked.Increment(ref _nextDevEui));

    private async Task<ProvisionedDevice> DeviceAsync()
    {
        await host.EnsureNetworkAsync(Home);
        await host.EnsureNetworkAsync(Home, "1122334455667788");
        return await host.Maker.ProvisionUnclaimedAsync(NextDevEui(), JoinEui);
    }

    private async Task<HttpClient> OwnerAsync() => _owner ??= await TenantAsync("v2-owner");

    private async Task<HttpClient> OtherAsync() => _other ??= await TenantAsync("v2-other");

    private async Task<HttpClient> TenantAsync(string id, params string[] rights)
    {
        var tenantId = $"{id}-{Guid.NewGuid():N}"[..30];
        return await host.Server.TenantAsync(tenantId, rights.Length == 0 ? AllRights : rights);
    }

    [Fact]
    public async Task Claim_with_the_owner_token_is_201_status_is_the_claim_and_claiming_again_is_200()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();

        var claimed = await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013", "1122334455667788");
        var status = await owner.GetClaimAsync(device.DevEui);
        var again = await owner.PutClaimAsync(device.DevEui, device.ClaimCode.ToLowerInvariant(), "000013", "1122334455667788");

        claimed.ShouldBe(HttpStatusCode.Created);
        status.ShouldBe(HttpStatusCode.OK);
        status.Body.GetRawText().Should().Be("""{"homeNetID":"000013","homeNSID":"1122334455667788","locked":true}""");
        again.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_wrong_token_and_an_unknown_device_are_the_same_403()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();

        var wrong = await owner.PutClaimAsync(device.DevEui, "WRONG1234", "000013");
        var unknown = await owner.PutClaimAsync(NextDevEui(), device.ClaimCode, "000013");

        wrong.ShouldBe(HttpStatusCode.Forbidden, "claim failed with given owner token");
        unknown.ShouldBe(HttpStatusCode.Forbidden, "claim failed with given owner token");
        wrong.Body.Text("code").Should().Be("claim_refused");
        unknown.Body.GetRawText().Should().Be(wrong.Body.GetRawText());
    }

    [Fact]
    public async Task A_locked_claim_of_another_client_is_403_Client_not_allowed_to_claim_and_an_unlocked_one_passes()
    {
        var locked = await DeviceAsync();
        var unlocked = await DeviceAsync();
        var owner = await OwnerAsync();
        var other = await OtherAsync();
        (await owner.PutClaimAsync(locked.DevEui, locked.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);
        (await owner.PutClaimAsync(unlocked.DevEui, unlocked.ClaimCode, "000013", locked: false)).ShouldBe(HttpStatusCode.Created);

        var refused = await other.PutClaimAsync(locked.DevEui, locked.ClaimCode, "000013");
        var taken = await other.PutClaimAsync(unlocked.DevEui, unlocked.ClaimCode, "000013");

        refused.ShouldBe(HttpStatusCode.Forbidden, "Client not allowed to claim");
        taken.ShouldBe(HttpStatusCode.Created);
        (await owner.GetClaimAsync(unlocked.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await other.GetClaimAsync(unlocked.DevEui)).Body.GetProperty("locked").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Lock_defaults_to_true_when_the_body_leaves_it_out()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();

        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013", locked: null)).ShouldBe(HttpStatusCode.Created);

        var status = await owner.GetClaimAsync(device.DevEui);
        status.Body.GetRawText().Should().Be("""{"homeNetID":"000013","locked":true}""");
    }

    [Fact]
    public async Task Status_and_unclaim_of_a_device_not_claimed_by_the_caller_are_404()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();
        var other = await OtherAsync();

        (await owner.GetClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await owner.DeleteClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);
        var othersStatus = await other.GetClaimAsync(device.DevEui);
        var othersUnclaim = await other.DeleteClaimAsync(device.DevEui);

        othersStatus.ShouldBe(HttpStatusCode.NotFound);
        othersStatus.Body.Text("code").Should().Be("device_not_found");
        othersUnclaim.ShouldBe(HttpStatusCode.NotFound);
        (await owner.GetClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unclaim_is_204_then_the_device_is_not_claimed_and_a_repeat_is_404()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();
        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);

        var unclaimed = await owner.DeleteClaimAsync(device.DevEui);

        unclaimed.ShouldBe(HttpStatusCode.NoContent);
        unclaimed.Body.ValueKind.Should().Be(JsonValueKind.Undefined);
        (await owner.GetClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await owner.DeleteClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        (await (await OtherAsync()).PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unclaim_with_regenerateOwnerToken_returns_the_new_token_once_and_the_old_one_stops_working()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();
        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);

        var rotated = await owner.DeleteClaimAsync(device.DevEui, "?regenerateOwnerToken=true");

        rotated.ShouldBe(HttpStatusCode.OK);
        var token = rotated.Body.GetProperty("ownerToken").GetString()!;
        token.Should().MatchRegex("^[A-Z0-9]{16}$");
        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Forbidden, "claim failed with given owner token");
        (await owner.PutClaimAsync(device.DevEui, token, "000013")).ShouldBe(HttpStatusCode.Created);
        (await owner.DeleteClaimAsync(device.DevEui, "?regenerateOwnerToken=maybe")).ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Batch_unclaim_is_204_when_all_succeed_and_400_with_per_device_errors_otherwise()
    {
        var devices = new List<ProvisionedDevice>();
        for (var i = 0; i < 4; i++)
        {
            devices.Add(await DeviceAsync());
        }
        var owner = await OwnerAsync();
        foreach (var device in devices.Take(3))
        {
            (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.Created);
        }

        var partly = await owner.DeleteClaimsAsync(devices[0].DevEui.ToString(), devices[3].DevEui.ToString());
        var all = await owner.DeleteClaimsAsync(devices[1].DevEui.ToString(), devices[2].DevEui.ToString().ToLowerInvariant());

        partly.ShouldBe(HttpStatusCode.BadRequest);
        partly.Body.EnumerateObject().Select(p => p.Name).Should().Equal(devices[3].DevEui.ToString());
        partly.Body.GetProperty(devices[3].DevEui.ToString()).GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        all.ShouldBe(HttpStatusCode.NoContent);
        foreach (var device in devices.Take(3))
        {
            (await owner.GetClaimAsync(device.DevEui)).ShouldBe(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Batch_unclaim_of_a_malformed_list_is_one_400_message()
    {
        var owner = await OwnerAsync();

        var malformed = await owner.DeleteClaimsAsync("0000000000000001", "not-an-eui");
        var twice = await owner.DeleteClaimsAsync("0000000000000001", "0000000000000001");

        malformed.ShouldBe(HttpStatusCode.BadRequest);
        malformed.Message.Should().StartWith("'not-an-eui' in the list is not a DevEUI");
        twice.ShouldBe(HttpStatusCode.BadRequest, "DevEUI 0000000000000001 is listed twice.");
    }

    [Fact]
    public async Task Without_credentials_is_401_and_without_the_right_403_both_as_messages()
    {
        var device = await DeviceAsync();
        var readOnly = await TenantAsync("v2-reader", "devices:read");

        var anonymous = await host.Server.Client().GetClaimAsync(device.DevEui);
        var unknownKey = await host.Server.Client("cus_not-a-key").PutClaimAsync(device.DevEui, device.ClaimCode, "000013");
        var noRight = await readOnly.PutClaimAsync(device.DevEui, device.ClaimCode, "000013");
        var noUnclaim = await readOnly.DeleteClaimAsync(device.DevEui);

        anonymous.ShouldBe(HttpStatusCode.Unauthorized);
        anonymous.Message.Should().StartWith("No API key was presented");
        unknownKey.ShouldBe(HttpStatusCode.Unauthorized);
        noRight.ShouldBe(HttpStatusCode.Forbidden, "This call needs the right 'devices:claim'.");
        noUnclaim.ShouldBe(HttpStatusCode.Forbidden, "This call needs the right 'devices:unclaim'.");
    }

    [Fact]
    public async Task Wrong_tokens_lock_the_device_out_with_429_and_Retry_After()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();

        V2Answer answer;
        var attempts = 0;
        do
        {
            answer = await owner.PutClaimAsync(device.DevEui, "WRONG1234", "000013");
            attempts++;
        }
        while (answer.Status == HttpStatusCode.Forbidden && attempts < 20);

        answer.ShouldBe(HttpStatusCode.TooManyRequests);
        answer.Body.Text("code").Should().Be("claim_locked");
        answer.RetryAfter.Should().NotBeNull();
        answer.RetryAfter!.Value.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(1));
        (await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "000013")).ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("""{"ownerToken":"SECRET42"}""", "homeNetID: homeNetID is required: the NetID of the network the device will join through.")]
    [InlineData("""{"ownerToken":"SECRET42","homeNetID":"XYZ"}""", null)]
    [InlineData("""{"ownerToken":"SECRET42","homeNetID":"000013","asID":"x y"}""", null)]
    [InlineData("""[1,2]""", null)]
    public async Task Malformed_claims_are_400_with_a_precise_message(string json, string? message)
    {
        var owner = await OwnerAsync();

        var answer = await V2Client.SendAsync(owner, HttpMethod.Put, $"/api/v2/devices/{NextDevEui()}/claim", json);

        answer.ShouldBe(HttpStatusCode.BadRequest, message);
        answer.Message.Should().NotBeNullOrWhiteSpace();
        answer.Message.Should().NotContain("SECRET42");
    }

    [Fact]
    public async Task A_malformed_DevEUI_in_the_path_is_400()
    {
        var owner = await OwnerAsync();

        var bad = await V2Client.SendAsync(owner, HttpMethod.Get, "/api/v2/devices/XYZ/claim", null);

        bad.ShouldBe(HttpStatusCode.BadRequest);
        bad.Message.Should().StartWith("'XYZ' is not a DevEUI");
    }

    [Fact]
    public async Task A_home_network_that_is_not_registered_is_400_not_a_missing_device()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();

        var answer = await owner.PutClaimAsync(device.DevEui, device.ClaimCode, "00FFFF");

        answer.ShouldBe(HttpStatusCode.BadRequest);
        answer.Body.Text("code").Should().Be("network_not_found");
    }

    [Fact]
    public async Task A_client_certificate_registered_on_an_API_key_authenticates_over_the_mTLS_endpoint()
    {
        var device = await DeviceAsync();
        var tenantId = $"v2-mtls-{Guid.NewGuid():N}"[..24];
        await host.Server.TenantAsync(tenantId, "devices:read");
        using var certificate = JoinServerHost.SelfSigned("CN=dcs.example");
        using var unregistered = JoinServerHost.SelfSigned("CN=stranger.example");
        var (status, key) = await host.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new
        {
            name = "dcs",
            rights = AllRights,
            clientCertificate = certificate.ExportCertificatePem(),
        });
        status.Should().Be(HttpStatusCode.Created, key.ToString());
        key.Text("certificateThumbprint").Should().Be(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData)));
        using var mtls = host.MutualTlsClient(certificate);
        using var stranger = host.MutualTlsClient(unregistered);
        using var none = host.MutualTlsClient(null);

        var claimed = await mtls.PutClaimAsync(device.DevEui, device.ClaimCode, "000013");
        var status2 = await mtls.GetClaimAsync(device.DevEui);
        var refused = await stranger.GetClaimAsync(device.DevEui);
        var anonymous = await none.GetClaimAsync(device.DevEui);
        var byKey = await host.Server.Client(key.Text("key")).GetClaimAsync(device.DevEui);

        claimed.ShouldBe(HttpStatusCode.Created);
        status2.ShouldBe(HttpStatusCode.OK);
        refused.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Message.Should().StartWith("The client certificate is not registered on an API key");
        anonymous.ShouldBe(HttpStatusCode.Unauthorized);
        byKey.ShouldBe(HttpStatusCode.OK);
        using var v1 = await mtls.GetAsync("/api/v1/devices/" + device.DevEui, Ct);
        v1.StatusCode.Should().Be(HttpStatusCode.OK, "the certificate authenticates the REST API v1 as well");
    }

    [Fact]
    public async Task An_API_key_certificate_must_be_a_PEM_certificate_and_not_another_keys()
    {
        var tenantId = $"v2-certs-{Guid.NewGuid():N}"[..24];
        await host.Server.TenantAsync(tenantId, "devices:read");
        using var certificate = JoinServerHost.SelfSigned("CN=twice.example");
        var pem = certificate.ExportCertificatePem();

        var bad = await host.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "x", rights = AllRights, clientCertificate = "not a certificate" });
        var first = await host.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "x", rights = AllRights, clientCertificate = pem });
        var second = await host.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "y", rights = AllRights, clientCertificate = pem });

        bad.Body.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        first.Status.Should().Be(HttpStatusCode.Created);
        second.Body.ShouldBeProblem(HttpStatusCode.Conflict, "api_key_certificate_exists");
    }

    [Fact]
    public async Task The_v2_PUT_body_ignores_TTJS_fields_it_does_not_use()
    {
        var device = await DeviceAsync();
        var owner = await OwnerAsync();
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ownerToken"] = device.ClaimCode,
            ["homeNetID"] = "000013",
            ["asID"] = null,
            ["lock"] = true,
            ["regenerateOwnerToken"] = false,
            ["kek"] = new { label = "x", key = "00" },
        });

        var answer = await V2Client.SendAsync(owner, HttpMethod.Put, $"/api/v2/devices/{device.DevEui}/claim", json);

        answer.ShouldBe(HttpStatusCode.Created);
    }
}

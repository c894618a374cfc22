using System.Net;
using System.Text.Json;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Lorawan.Qr;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

public sealed class ProvisioningTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private const string JoinEui = "70B3D57ED0000000";

    private TestServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KeyRing Keys => Server.Services.GetRequiredService<KeyRing>();

    private Task<HttpClient> MakerAsync(string id) => Server.TenantAsync(id, "devices:provision", "devices:read", "devices:claim", "events:read");

    private async Task<Device> StoredAsync(string devEui) => (await Server.Store.GetDeviceAsync(DevEui.Parse(devEui), Ct))!;

    [Fact]
    public async Task A_generated_key_is_returned_once_and_is_the_stored_root_key()
    {
        var maker = await MakerAsync("prov-gen");

        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70b3d57ed0000000", devEui = "00000000000B0001", macVersion = "1.0.3" });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("devEui").Should().Be("00000000000B0001");
        body.Text("joinEui").Should().Be(JoinEui);
        body.Text("macVersion").Should().Be("1.0.3");
        body.Text("state").Should().Be("unclaimed");
        body.TryGetProperty("nwkKey", out _).Should().BeFalse("a 1.0.x device has one root key, returned as appKey");
        var appKey = body.Text("appKey")!;
        appKey.Should().MatchRegex("^[0-9A-F]{32}$");
        var stored = await StoredAsync("00000000000B0001");
        var keys = Keys.OpenRootKeys(stored.RootKeys, stored.DevEui);
        keys.AppKey.Should().BeNull();
        keys.NwkKey.Key.ExportSecretHex().Should().Be(appKey);

        var (getStatus, view) = await maker.GetJsonAsync("/api/v1/devices/00000000000B0001");
        getStatus.Should().Be(HttpStatusCode.OK);
        view.TryGetProperty("appKey", out _).Should().BeFalse();
        view.TryGetProperty("nwkKey", out _).Should().BeFalse();
        view.ToString().Should().NotContain(appKey);
        view.Text("claimCode").Should().Be(body.Text("claimCode"));
        view.Text("qr").Should().Be(body.Text("qr"));
    }

    [Fact]
    public async Task Uploaded_keys_are_stored_and_never_echoed()
    {
        var maker = await MakerAsync("prov-upload");
        const string AppKey = "000102030405060708090A0B0C0D0E0F";
        const string NwkKey = "F0E0D0C0B0A090807060504030201000";

        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0002", macVersion = "1.1", appKey = AppKey.ToLowerInvariant(), nwkKey = NwkKey });

        status.Should().Be(HttpStatusCode.Created);
        body.TryGetProperty("appKey", out _).Should().BeFalse();
        body.TryGetProperty("nwkKey", out _).Should().BeFalse();
        body.ToString().Should().NotContainAny(AppKey, NwkKey, AppKey.ToLowerInvariant());
        var keys = Keys.OpenRootKeys((await StoredAsync("00000000000B0002")).RootKeys, DevEui.Parse("00000000000B0002"));
        keys.AppKey!.Value.Key.ExportSecretHex().Should().Be(AppKey);
        keys.NwkKey.Key.ExportSecretHex().Should().Be(NwkKey);
    }

    [Fact]
    public async Task A_1_1_device_gets_the_missing_root_key_generated_and_returned()
    {
        var maker = await MakerAsync("prov-half");

        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0003", macVersion = "MAC_V1_1", appKey = "000102030405060708090A0B0C0D0E0F" });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("macVersion").Should().Be("1.1");
        body.TryGetProperty("appKey", out _).Should().BeFalse();
        var nwkKey = body.Text("nwkKey")!;
        Keys.OpenRootKeys((await StoredAsync("00000000000B0003")).RootKeys, DevEui.Parse("00000000000B0003")).NwkKey.Key.ExportSecretHex().Should().Be(nwkKey);
    }

    [Fact]
    public async Task The_qr_text_parses_back_to_the_device()
    {
        var maker = await MakerAsync("prov-qr");

        var (_, body) = await maker.PostAsync("/api/v1/devices", new
        {
            joinEui = JoinEui,
            devEui = "00000000000B0004",
            macVersion = "1.0.4",
            vendorId = "000a",
            vendorProfileId = "F8BE",
            serialNumber = "SN-0004",
        });

        var code = body.Text("claimCode")!;
        code.Should().MatchRegex("^[A-Z0-9]{16}$");
        var qr = QrCode.Parse(body.Text("qr")!);
        qr.Format.Should().Be(QrFormat.Tr005);
        qr.JoinEui.Should().Be(Lorawan.JoinEui.Parse(JoinEui));
        qr.DevEui.Should().Be(DevEui.Parse("00000000000B0004"));
        qr.OwnerToken.Should().Be(code);
        qr.VendorId.Should().Be((ushort)0x000A);
        qr.VendorProfileId.Should().Be((ushort)0xF8BE);
        qr.Serial.Should().Be("SN-0004");
        body.Text("vendorId").Should().Be("000A");
        Keys.OpenClaimCode((await StoredAsync("00000000000B0004")).ClaimCode, DevEui.Parse("00000000000B0004")).Matches(code).Should().BeTrue();
    }

    [Theory]
    [InlineData("abc123", "ABC123")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")]
    public async Task A_given_claim_code_is_kept_uppercase(string given, string expected)
    {
        var maker = await MakerAsync("prov-code-" + given.Length);
        var devEui = $"00000000000C{given.Length:X4}";

        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui, macVersion = "1.0.2", claimCode = given });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("claimCode").Should().Be(expected);
        QrCode.Parse(body.Text("qr")!).OwnerToken.Should().Be(expected);
    }

    [Theory]
    [InlineData("{\"claimCode\":\"ABC12\"}", "claimCode:")]
    [InlineData("{\"claimCode\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\"}", "claimCode:")]
    [InlineData("{\"claimCode\":\"ABC-123\"}", "claimCode:")]
    [InlineData("{\"claimValidFrom\":\"2030-01-02T00:00:00Z\",\"claimValidUntil\":\"2030-01-01T00:00:00Z\"}", "claimValidUntil:")]
    [InlineData("{\"claimValidFrom\":\"2030-01-01T00:00:00Z\",\"claimValidUntil\":\"2030-01-01T00:00:00Z\"}", "claimValidUntil:")]
    [InlineData("{\"devEui\":\"00000000000B00\"}", "devEui:")]
    [InlineData("{\"joinEui\":\"70B3D57ED000000G\"}", "joinEui:")]
    [InlineData("{\"macVersion\":\"1.2\"}", "macVersion:")]
    [InlineData("{\"macVersion\":null}", "macVersion:")]
    [InlineData("{\"appKey\":\"0011\"}", "appKey:")]
    [InlineData("{\"nwkKey\":\"000102030405060708090A0B0C0D0E0F\"}", "nwkKey:")]
    [InlineData("{\"vendorId\":\"12345\"}", "vendorId:")]
    [InlineData("{\"serialNumber\":\"A:B\"}", "serialNumber:")]
    [InlineData("{\"homeNsId\":\"0000000000000001\"}", "homeNsId:")]
    [InlineData("{\"homeNetId\":\"1234\"}", "homeNetId:")]
    public async Task Invalid_fields_are_400_naming_the_field(string overrides, string field)
    {
        var maker = await MakerAsync("prov-bad-" + Math.Abs(overrides.GetHashCode()).ToString("X8", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant());
        var request = Merge(new { joinEui = JoinEui, devEui = "00000000000B0005", macVersion = "1.0.3" }, overrides);

        var (status, problem) = await maker.PostRawAsync("/api/v1/devices", request);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(field);
        (await Server.Store.GetDeviceAsync(DevEui.Parse("00000000000B0005"), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task A_given_key_is_never_echoed_in_an_error()
    {
        var maker = await MakerAsync("prov-noecho");
        const string AlmostKey = "000102030405060708090A0B0C0D0E0FFF";

        var (_, problem) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0006", macVersion = "1.0.3", appKey = AlmostKey, claimCode = "SECRET-CODE" });

        problem.ToString().Should().NotContain(AlmostKey).And.NotContain("SECRET");
    }

    [Fact]
    public async Task A_taken_DevEUI_is_a_409_to_its_maker_and_outside_the_blocks_of_any_other()
    {
        var maker = await MakerAsync("prov-dup");
        var other = await MakerAsync("prov-dup-other");
        (await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0007", macVersion = "1.0.3" })).Status.Should().Be(HttpStatusCode.Created);

        var (again, againProblem) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0007", macVersion = "1.0.3" });
        var (status, problem) = await other.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0007", macVersion = "1.0.3" });

        again.Should().Be(HttpStatusCode.Conflict);
        againProblem.ShouldBeProblem(HttpStatusCode.Conflict, "device_exists");
        status.Should().Be(HttpStatusCode.Forbidden, "the DevEUI is in the first maker's block, never in another's");
        problem.ShouldBeProblem(HttpStatusCode.Forbidden, "dev_eui_outside_blocks");
        (await StoredAsync("00000000000B0007")).MakerTenantId.Should().Be("prov-dup");
    }

    [Fact]
    public async Task A_validity_window_is_stored()
    {
        var maker = await MakerAsync("prov-window");

        var (status, body) = await maker.PostAsync("/api/v1/devices", new
        {
            joinEui = JoinEui,
            devEui = "00000000000B0008",
            macVersion = "1.0.3",
            claimValidFrom = "2030-01-01T00:00:00+02:00",
            claimValidUntil = "2031-01-01T00:00:00Z",
        });

        status.Should().Be(HttpStatusCode.Created);
        var stored = await StoredAsync("00000000000B0008");
        stored.ClaimValidFrom.Should().Be(new DateTimeOffset(2029, 12, 31, 22, 0, 0, TimeSpan.Zero));
        stored.ClaimValidUntil.Should().Be(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));
        body.GetProperty("claimValidUntil").GetDateTimeOffset().Should().Be(stored.ClaimValidUntil!.Value);
    }

    [Fact]
    public async Task A_pre_activated_device_needs_a_registered_network_and_application_server()
    {
        var maker = await MakerAsync("prov-pre");
        await Server.NetworkAsync("00004D", "70B3D57ED0004D4D");
        await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as.pre.example" });

        var (noNetwork, problem) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0009", macVersion = "1.0.3", homeNetId = "00004E" });
        noNetwork.Should().Be(HttpStatusCode.NotFound);
        problem.ShouldBeProblem(HttpStatusCode.NotFound, "network_not_found");
        problem.Detail().Should().StartWith("homeNetId:").And.Contain("00004E");

        var (wrongNsId, nsProblem) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0009", macVersion = "1.0.3", homeNetId = "00004D" });
        wrongNsId.Should().Be(HttpStatusCode.NotFound, "the network is registered with an NSID, and none was named");
        nsProblem.ShouldBeProblem(HttpStatusCode.NotFound, "network_not_found");

        var (noAs, asProblem) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0009", macVersion = "1.0.3", homeNetId = "00004D", homeNsId = "70B3D57ED0004D4D", asId = "as.missing" });
        noAs.Should().Be(HttpStatusCode.NotFound);
        asProblem.ShouldBeProblem(HttpStatusCode.NotFound, "application_server_not_found");
        asProblem.Detail().Should().StartWith("asId:");

        var (status, body) = await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B0009", macVersion = "1.1", homeNetId = "00004d", homeNsId = "70b3d57ed0004d4d", asId = "as.pre.example" });
        status.Should().Be(HttpStatusCode.Created);
        body.Text("state").Should().Be("claimed");
        body.Text("homeNetId").Should().Be("00004D");
        body.Text("homeNsId").Should().Be("70B3D57ED0004D4D");
        body.Text("asId").Should().Be("as.pre.example");
        body.Text("ownerTenantId").Should().Be("prov-pre");
        var stored = await StoredAsync("00000000000B0009");
        stored.Owner.Should().Be(new Ownership("prov-pre", NetId.Parse("00004D"), "70B3D57ED0004D4D", "as.pre.example", stored.CreatedAt));
        stored.OwnershipEpoch.Should().Be(1);
    }

    [Fact]
    public async Task The_owner_resets_DevNonces_and_it_is_audited()
    {
        var maker = await MakerAsync("prov-reset");
        var unclaimer = Server.Client(await Server.ApiKeyAsync("prov-reset", "devices:unclaim"));
        var readOnly = Server.Client(await Server.ApiKeyAsync("prov-reset", "devices:read"));
        await Server.NetworkAsync("00005E");
        await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B000A", macVersion = "1.0.4", homeNetId = "00005E" });
        await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B000B", macVersion = "1.0.2" });
        await Server.Store.UpdateDeviceAsync(DevEui.Parse("00000000000B000A"), d => d with { LastDevNonce = new DevNonce(42) }, Ct);

        using var forbidden = await readOnly.PostAsync("/api/v1/devices/00000000000B000A/dev-nonces/reset", null, Ct);
        await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right");
        using var claimRightOnly = await maker.PostAsync("/api/v1/devices/00000000000B000A/dev-nonces/reset", null, Ct);
        await claimRightOnly.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right");
        using var notOwner = await unclaimer.PostAsync("/api/v1/devices/00000000000B000B/dev-nonces/reset", null, Ct);
        await notOwner.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "not_device_owner");

        var (status, body) = await unclaimer.PostAsync("/api/v1/devices/00000000000B000A/dev-nonces/reset", new { });

        status.Should().Be(HttpStatusCode.OK);
        body.Text("devEui").Should().Be("00000000000B000A");
        (await StoredAsync("00000000000B000A")).LastDevNonce.Should().BeNull();
        var (_, events) = await maker.GetJsonAsync("/api/v1/events?devEui=00000000000B000A");
        events.GetProperty("events")[0].Text("type").Should().Be("security.dev_nonces_reset");
        events.GetProperty("events")[0].Text("actor").Should().StartWith("apikey:key_");
    }

    [Fact]
    public async Task A_batch_of_1200_with_bad_items_creates_the_good_ones_and_explains_each_bad_one()
    {
        var maker = await MakerAsync("prov-batch");
        await maker.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000D0005", macVersion = "1.0.3" });
        var items = Enumerable.Range(0, 1200)
            .Select(i => (object)new { joinEui = JoinEui, devEui = $"00000000000D{i:X4}", macVersion = i % 2 == 0 ? "1.0.3" : "1.1" })
            .ToList();
        items[3] = new { joinEui = JoinEui, devEui = "00000000000D0003", macVersion = "2.0" };
        items[5] = new { joinEui = JoinEui, devEui = "00000000000D0005", macVersion = "1.0.3" }; // already provisioned
        items[700] = new { joinEui = JoinEui, devEui = "00000000000D0001", macVersion = "1.0.3" }; // repeats item 1
        items[999] = 42;
        items[1100] = new { joinEui = JoinEui, devEui = "00000000000D044C", macVersion = "1.0.3", claimCode = "short" };

        var (status, body) = await maker.PostAsync("/api/v1/devices/batch", new { devices = items });

        status.Should().Be(HttpStatusCode.OK);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().HaveCount(1200);
        results.Select(r => r.GetProperty("index").GetInt32()).Should().Equal(Enumerable.Range(0, 1200));
        var failed = results.Where(r => r.Text("status") == "failed").Select(r => r.GetProperty("index").GetInt32());
        failed.Should().Equal(3, 5, 700, 999, 1100);
        Error(results[3]).Should().Be(("invalid_field", 400));
        results[3].GetProperty("error").Detail().Should().StartWith("macVersion:");
        Error(results[5]).Should().Be(("device_exists", 409));
        Error(results[700]).Should().Be(("device_exists", 409));
        Error(results[999]).Should().Be(("invalid_request", 400));
        results[999].GetProperty("error").Detail().Should().Contain("devices[999]");
        Error(results[1100]).Should().Be(("invalid_field", 400));
        results[1100].GetProperty("error").Detail().Should().StartWith("claimCode:");
        results[1100].Text("devEui").Should().Be("00000000000D044C");

        var created = results.Where(r => r.Text("status") == "created").ToList();
        created.Should().HaveCount(1195);
        created.Should().OnlyContain(r => r.Text("claimCode") != null && r.Text("qr") != null && r.Text("appKey") != null);
        created.Where(r => r.Text("macVersion") == "1.1").Should().OnlyContain(r => r.Text("nwkKey") != null);
        var one = created[600];
        var stored = await StoredAsync(one.Text("devEui")!);
        Keys.OpenClaimCode(stored.ClaimCode, stored.DevEui).Matches(one.Text("claimCode")).Should().BeTrue();
        (await StoredAsync("00000000000D0005")).CreatedAt.Should().BeBefore(stored.CreatedAt.AddTicks(1));
        (await Server.Store.GetDeviceAsync(DevEui.Parse("00000000000D0003"), Ct)).Should().BeNull();
    }

    [Theory]
    [InlineData("{\"devices\": 3}")]
    [InlineData("{\"devices\": []}")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"devices\": [")]
    public async Task A_malformed_batch_envelope_is_a_400(string json)
    {
        var maker = await MakerAsync("prov-env-" + Math.Abs(json.GetHashCode()).ToString("X8", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant());

        var (status, problem) = await maker.PostRawAsync("/api/v1/devices/batch", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().Should().BeOneOf("invalid_request", "invalid_field");
    }

    [Fact]
    public async Task A_batch_holds_at_most_10000_devices()
    {
        var maker = await MakerAsync("prov-big");
        var json = "{\"devices\":[" + string.Join(',', Enumerable.Repeat("{}", 10_001)) + "]}";

        var (status, problem) = await maker.PostRawAsync("/api/v1/devices/batch", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.Detail().Should().StartWith("devices:").And.Contain("10001");
    }

    [Fact]
    public async Task The_admin_right_implies_provisioning_for_the_operator_tenant()
    {
        var (status, body) = await Server.Admin.PostAsync("/api/v1/devices", new { joinEui = JoinEui, devEui = "00000000000B00AD", macVersion = "1.0.3" });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("makerTenantId").Should().Be("operator");
    }

    private static (string Code, int Status) Error(JsonElement result) =>
        (result.GetProperty("error").GetProperty("code").GetString()!, result.GetProperty("error").GetProperty("status").GetInt32());

    private static string Merge(object baseline, string overrides)
    {
        var merged = JsonSerializer.SerializeToNode(baseline, JsonSerializerOptions.Web)!.AsObject();
        foreach (var (key, value) in JsonNode(overrides))
        {
            merged[key] = value?.DeepClone();
        }
        return merged.ToJsonString();
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}

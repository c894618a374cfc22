using System.Net;
using System.Text.Json;
using Custodian.Server.Tests.Claims;

namespace Custodian.Server.Tests;

/// <summary><c>GET /api/v1/devices</c>: a maker's devices, in DevEUI order, a page at a time, without a secret.</summary>
public sealed class DeviceListApiTests
{
    private static readonly string[] ItemFields =
    [
        "devEui", "joinEui", "macVersion", "state", "vendorId", "vendorProfileId", "serialNumber",
        "ownerTenantId", "homeNetId", "claimedAt", "createdAt", "lastJoinAt",
    ];

    [Fact]
    public async Task A_maker_pages_through_its_own_devices_in_dev_eui_order_and_sees_no_secret()
    {
        await using var server = await TestServer.StartAsync();
        var maker = await server.TenantAsync("maker-a", "devices:provision", "devices:read");
        var other = await server.TenantAsync("maker-b", "devices:provision", "devices:read");
        // Unsorted, across the signed 64-bit boundary, with generated keys: every secret must stay out of the list.
        string[] devEuis = ["FFFFFFFFFFFFFFFE", "0000000000000002", "8000000000000000", "7FFFFFFFFFFFFFFF", "0000000000000001"];
        var secrets = await ProvisionAsync(maker, devEuis);
        await ProvisionAsync(other, ["0000000000000003", "9000000000000000"]);

        var (pages, bodies) = await PageAsync(maker, "/api/v1/devices?limit=2");

        pages.SelectMany(p => p).Select(d => d.Text("devEui"))
            .Should().Equal("0000000000000001", "0000000000000002", "7FFFFFFFFFFFFFFF", "8000000000000000", "FFFFFFFFFFFFFFFE");
        pages.Select(p => p.Count).Should().Equal(2, 2, 1);
        foreach (var body in bodies)
        {
            secrets.Should().AllSatisfy(secret => body.Should().NotContain(secret));
        }
        pages.SelectMany(p => p).Should().AllSatisfy(item =>
        {
            item.EnumerateObject().Select(p => p.Name).Should().BeSubsetOf(ItemFields);
            item.Text("state").Should().Be("unclaimed");
            item.Text("joinEui").Should().Be(ClaimsWorld.JoinEui);
            item.Text("macVersion").Should().Be("1.0.3");
            item.TryGetProperty("createdAt", out _).Should().BeTrue();
        });

        var (_, theirs) = await PageAsync(other, "/api/v1/devices");
        theirs.Should().ContainSingle().Which.Should().Contain("0000000000000003").And.Contain("9000000000000000").And.NotContain("0000000000000001");
    }

    [Fact]
    public async Task The_owner_shows_only_when_the_maker_owns_the_device_itself()
    {
        await using var server = await TestServer.StartAsync();
        await server.NetworkAsync("000013");
        var maker = await server.TenantAsync("maker", "devices:provision", "devices:read");
        var owner = await server.TenantAsync("owner", ClaimsWorld.OwnerRights);
        var sold = await maker.ProvisionOneAsync();
        (await owner.ClaimAsync(sold, "000013")).Status.Should().Be(HttpStatusCode.Created);
        var (created, _) = await maker.PostAsync("/api/v1/devices", new
        {
            joinEui = ClaimsWorld.JoinEui,
            devEui = "FF00000000000001",
            macVersion = "1.0.4",
            homeNetId = "000013",
            vendorId = "A1B2",
            vendorProfileId = "0003",
            serialNumber = "SN-7",
        });
        created.Should().Be(HttpStatusCode.Created);

        var (status, body) = await maker.GetJsonAsync("/api/v1/devices");

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        var items = body.GetProperty("devices").EnumerateArray().ToList();
        items.Select(d => d.Text("devEui")).Should().Equal(sold.DevEui, "FF00000000000001");
        items[0].Text("state").Should().Be("claimed");
        items[0].TryGetProperty("ownerTenantId", out _).Should().BeFalse("who claimed it is not the maker's to know");
        items[0].TryGetProperty("homeNetId", out _).Should().BeFalse();
        items[1].Text("state").Should().Be("claimed");
        items[1].Text("ownerTenantId").Should().Be("maker");
        items[1].Text("homeNetId").Should().Be("000013");
        items[1].TryGetProperty("claimedAt", out _).Should().BeTrue();
        items[1].Text("vendorId").Should().Be("A1B2");
        items[1].Text("vendorProfileId").Should().Be("0003");
        items[1].Text("serialNumber").Should().Be("SN-7");
        items[1].Text("macVersion").Should().Be("1.0.4");
        (await owner.GetJsonAsync("/api/v1/devices")).Body.GetProperty("devices").GetArrayLength().Should().Be(0, "an owner's list is GET /api/v1/claims");
    }

    [Theory]
    [InlineData("?limit=0", "limit:")]
    [InlineData("?limit=1001", "limit:")]
    [InlineData("?limit=ten", "limit:")]
    [InlineData("?after=00112233", "after:")]
    public async Task A_bad_query_is_a_400_naming_it(string query, string field)
    {
        await using var server = await TestServer.StartAsync();
        var maker = await server.TenantAsync("maker", "devices:read");

        var (status, problem) = await maker.GetJsonAsync("/api/v1/devices" + query);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(field);
    }

    [Fact]
    public async Task Listing_needs_devices_read()
    {
        await using var server = await TestServer.StartAsync();
        var provisioner = await server.TenantAsync("maker", "devices:provision");

        var (status, problem) = await provisioner.GetJsonAsync("/api/v1/devices");

        status.Should().Be(HttpStatusCode.Forbidden);
        problem.ShouldBeProblem(HttpStatusCode.Forbidden, "missing_right");
        problem.Detail().Should().Contain("devices:read");
    }

    /// <summary>Provisions the devices (keys generated); returns every secret the answer held: keys, claim codes, QR texts.</summary>
    private static async Task<List<string>> ProvisionAsync(HttpClient maker, string[] devEuis)
    {
        var devices = devEuis.Select(devEui => new { joinEui = ClaimsWorld.JoinEui, devEui, macVersion = "1.0.3" }).ToList();
        var (status, body) = await maker.PostAsync("/api/v1/devices/batch", new { devices });
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        results.Should().OnlyContain(r => r.Text("status") == "created", body.ToString());
        return [.. results.SelectMany(r => new[] { r.Text("claimCode"), r.Text("qr"), r.Text("appKey"), r.Text("nwkKey") }).OfType<string>()];
    }

    /// <summary>Every page, following <c>next</c> until it is null; and each page's body as text.</summary>
    private static async Task<(List<List<JsonElement>> Pages, List<string> Bodies)> PageAsync(HttpClient client, string path)
    {
        var pages = new List<List<JsonElement>>();
        var bodies = new List<string>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        for (var next = ""; ;)
        {
            var (status, body) = await client.GetJsonAsync(path + next);
            status.Should().Be(HttpStatusCode.OK, body.ToString());
            pages.Add([.. body.GetProperty("devices").EnumerateArray()]);
            bodies.Add(body.ToString());
            if (body.GetProperty("next").GetString() is not { } after)
            {
                return (pages, bodies);
            }
            pages.Count.Should().BeLessThan(100, "paging ends");
            next = separator + "after=" + after;
        }
    }
}

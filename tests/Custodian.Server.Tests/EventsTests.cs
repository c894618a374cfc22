using System.Net;

namespace Custodian.Server.Tests;

public sealed class EventsTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Events_are_paged_newest_first_scoped_to_the_tenant_and_filterable_by_device()
    {
        var maker = await Server.TenantAsync("events-maker", "devices:provision", "events:read");
        var other = await Server.TenantAsync("events-other", "devices:provision", "events:read");
        for (var i = 1; i <= 5; i++)
        {
            (await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = $"00000000000E000{i}", macVersion = "1.0.3" })).Status.Should().Be(HttpStatusCode.Created);
        }
        await other.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000E0009", macVersion = "1.0.3" });

        var (status, first) = await maker.GetJsonAsync("/api/v1/events?limit=2");
        status.Should().Be(HttpStatusCode.OK);
        var firstPage = first.GetProperty("events").EnumerateArray().ToList();
        firstPage.Select(e => e.Text("devEui")).Should().Equal("00000000000E0005", "00000000000E0004");
        firstPage.Should().OnlyContain(e => e.Text("type") == "device.provisioned" && e.Text("actor")!.StartsWith("apikey:", StringComparison.Ordinal));
        var nextBefore = first.GetProperty("nextBefore").GetInt64();
        nextBefore.Should().Be(firstPage[1].GetProperty("id").GetInt64());

        var (_, second) = await maker.GetJsonAsync($"/api/v1/events?limit=2&before={nextBefore}");
        second.GetProperty("events").EnumerateArray().Select(e => e.Text("devEui")).Should().Equal("00000000000E0003", "00000000000E0002");

        var (_, all) = await maker.GetJsonAsync("/api/v1/events");
        all.GetProperty("events").GetArrayLength().Should().Be(5);
        all.TryGetProperty("nextBefore", out _).Should().BeFalse("the page is not full, so there is nothing older");

        var (_, filtered) = await maker.GetJsonAsync("/api/v1/events?devEui=00000000000e0003");
        filtered.GetProperty("events").EnumerateArray().Select(e => e.Text("devEui")).Should().Equal("00000000000E0003");

        var (_, othersView) = await other.GetJsonAsync("/api/v1/events");
        othersView.GetProperty("events").EnumerateArray().Select(e => e.Text("devEui")).Should().Equal("00000000000E0009");
        var (_, othersFiltered) = await other.GetJsonAsync("/api/v1/events?devEui=00000000000E0003");
        othersFiltered.GetProperty("events").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [InlineData("limit=0", "limit:")]
    [InlineData("limit=1001", "limit:")]
    [InlineData("limit=ten", "limit:")]
    [InlineData("before=-1", "before:")]
    [InlineData("devEui=123", "devEui:")]
    public async Task Bad_query_parameters_are_400_naming_the_parameter(string query, string parameter)
    {
        var reader = Server.Client(Server.AdminKey);

        var (status, problem) = await reader.GetJsonAsync("/api/v1/events?" + query);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(parameter);
    }

    [Fact]
    public async Task The_largest_page_is_1000()
    {
        var (status, body) = await Server.Admin.GetJsonAsync("/api/v1/events?limit=1000");

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("events").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Array);
    }
}

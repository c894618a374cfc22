using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Custodian.Server.Tests;

public sealed class AuthTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private TestServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_key_is_a_401_problem_with_a_bearer_challenge()
    {
        using var response = await Server.Client().GetAsync("/api/v1/events", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
        problem.Detail().Should().Contain("Authorization: Bearer");
    }

    [Theory]
    [InlineData("Bearer cust_not-a-key-this-server-knows")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task Unknown_or_malformed_credentials_are_401(string authorization)
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        using var response = await client.GetAsync("/api/v1/devices/0011223344556677", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_key_without_the_right_is_403_naming_the_right()
    {
        var reader = await Server.TenantAsync("auth-reader", "events:read");

        using var provision = await reader.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000A0001", macVersion = "1.0.3" }, Ct);
        var problem = await provision.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right");
        problem.Detail().Should().Contain("devices:provision");

        using var tenants = await reader.PostAsJsonAsync("/api/v1/tenants", new { id = "sneaky", name = "Sneaky" }, Ct);
        (await tenants.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("admin");

        using var events = await reader.GetAsync("/api/v1/events", Ct);
        events.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Another_tenants_device_is_404_as_if_it_did_not_exist()
    {
        var maker = await Server.TenantAsync("auth-maker", "devices:provision", "devices:read", "devices:claim");
        var stranger = await Server.TenantAsync("auth-stranger", "devices:read", "devices:claim", "devices:unclaim");
        (await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000A0002", macVersion = "1.0.3" }))
            .Status.Should().Be(HttpStatusCode.Created);

        using var seen = await stranger.GetAsync("/api/v1/devices/00000000000A0002", Ct);
        using var missing = await stranger.GetAsync("/api/v1/devices/00000000000A0FFF", Ct);
        using var reset = await stranger.PostAsync("/api/v1/devices/00000000000A0002/dev-nonces/reset", null, Ct);
        using var byAdmin = await Server.Admin.GetAsync("/api/v1/devices/00000000000A0002", Ct);

        var seenProblem = await seen.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found");
        var missingProblem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found");
        seenProblem.GetProperty("title").GetString().Should().Be(missingProblem.GetProperty("title").GetString());
        await reset.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found");
        await byAdmin.ShouldBeProblemAsync(HttpStatusCode.NotFound, "device_not_found");
        (await maker.GetJsonAsync("/api/v1/devices/00000000000A0002")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Health_and_metrics_need_no_key()
    {
        var client = Server.Client();
        (await client.GetAsync("/healthz", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/metrics", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cust_unknown");
        (await client.GetAsync("/healthz", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

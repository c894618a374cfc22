using System.Net;
using Custodian.Server.Tests.Claims;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Routing;

/// <summary>
/// Finding 6: every tenant of B reaches Join Server A with B's one credential, so one tenant's wrong codes spent A's
/// budget for all of them. Now each tenant of B may spend only its share (here 2 of A's 8), and when A still says
/// <c>rate_limited</c> (several tenants' shares together), B's operator is alerted.
/// </summary>
public sealed class RoutedClaimBudgetTests : IAsyncLifetime
{
    private TestServer _a = null!;
    private TestServer _b = null!;
    private HttpClient _maker = null!;

    public async ValueTask InitializeAsync()
    {
        _a = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "8" });
        await _a.NetworkAsync(NetA);
        _maker = await _a.TenantAsync("maker", ClaimsWorld.MakerRights);
        (await _a.Admin.PostAsync("/api/v1/tenants", new { id = "router-b", name = "B" })).Status.Should().Be(HttpStatusCode.Created);
        var routerKey = await _a.ApiKeyAsync("router-b", "devices:claim", "devices:read", "devices:unclaim");
        _b = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:Claims:JoinServers:a:Url"] = _a.BaseAddress.ToString(),
            ["Custodian:Claims:JoinServers:a:Token"] = routerKey,
            ["Custodian:Claims:JoinServers:a:WrongCodesPerHour"] = "8",
            ["Custodian:Claims:JoinServers:a:TenantShare"] = "0.25",
            ["Custodian:Claims:Routes:0:Prefix"] = ClaimsWorld.JoinEui + "/64",
            ["Custodian:Claims:Routes:0:JoinServer"] = "a",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task Finding6_one_tenant_spends_only_its_share_of_the_remote_budget_and_an_upstream_rate_limit_alerts_the_operator()
    {
        var devices = await _maker.ProvisionAsync(20);
        var guesser = await _b.TenantAsync("r2", ClaimsWorld.OwnerRights);
        var honest = await _b.TenantAsync("r1", ClaimsWorld.OwnerRights);

        var codes = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            codes.Add((await guesser.ClaimAsync(devices[i], NetA, code: "WRONGCODE123")).Body.GetProperty("code").GetString()!);
        }
        codes.Should().Equal([.. Enumerable.Repeat("claim_refused", 2), .. Enumerable.Repeat("rate_limited", 7)]);
        (await honest.ClaimAsync(devices[9], NetA)).Status.Should().Be(HttpStatusCode.Created, "another tenant of B still claims at A");

        // Three more tenants spend their shares: together they spend A's whole budget for B's credential.
        var next = 10;
        foreach (var name in new[] { "r3", "r4", "r5" })
        {
            var tenant = await _b.TenantAsync(name, ClaimsWorld.OwnerRights);
            for (var i = 0; i < 2; i++)
            {
                (await tenant.ClaimAsync(devices[next++], NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden);
            }
        }
        (await honest.ClaimAsync(devices[19], NetA)).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");

        var operatorEvents = await _b.Admin.EventsAsync();
        operatorEvents.Should().ContainSingle(e => e.Text("type") == "routing.upstream_rate_limited", "one alert per minute and Join Server");
        (await _b.MetricsAsync()).Should().Contain("custodian_claim_upstream_rate_limited_total{join_server=\"a\"} 1");
    }
}

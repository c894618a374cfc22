using System.Net;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// Finding 17: the throttles were per process, so N instances meant N budgets and a restart cleared them. Now they
/// live in the store: two instances on one PostgreSQL share one budget and one lock-out, and a SQLite server keeps
/// them across a restart.
/// </summary>
public sealed class SharedThrottleTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "6",
        ["Custodian:Claims:Lockout:FreeFailures"] = "2",
    };

    [Fact]
    public async Task Finding17_two_instances_on_one_PostgreSQL_share_one_wrong_code_budget_and_one_lock_out()
    {
        await using var instances = await PostgresInstances.StartAsync(Settings);
        await instances.First.NetworkAsync(NetA);
        var maker = await instances.First.TenantAsync("maker", ClaimsWorld.MakerRights);
        var created = await instances.First.Admin.PostAsync("/api/v1/tenants", new { id = "guesser", name = "guesser" });
        created.Status.Should().Be(HttpStatusCode.Created);
        var key = await instances.First.ApiKeyAsync("guesser", ClaimsWorld.OwnerRights);
        var onFirst = instances.First.Client(key);
        var onSecond = instances.Second.Client(key);
        var devices = await maker.ProvisionAsync(6);
        var unknown = devices[0] with { DevEui = ClaimsWorld.NextDevEui() };

        // An unknown device locked on the first instance is locked on the second.
        for (var i = 0; i < 3; i++)
        {
            (await onFirst.ClaimAsync(unknown, NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden);
        }
        (await onSecond.ClaimAsync(unknown, NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");

        // 3 of the budget of 6 are spent; 3 more on the second instance spend it, whichever instance is asked next.
        for (var i = 0; i < 3; i++)
        {
            (await onSecond.ClaimAsync(devices[i], NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden);
        }
        (await onFirst.ClaimAsync(devices[3], NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        (await onSecond.ClaimAsync(devices[4], NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Finding17_a_restart_on_SQLite_keeps_the_budget_and_the_lock_outs()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-restart-").FullName;
        try
        {
            string key;
            ProvisionedClaim unknown;
            IReadOnlyList<ProvisionedClaim> devices;
            await using (var server = await TestServer.StartAsync(Settings, dataDirectory: directory))
            {
                await server.NetworkAsync(NetA);
                var maker = await server.TenantAsync("maker", ClaimsWorld.MakerRights);
                await server.Admin.PostAsync("/api/v1/tenants", new { id = "guesser", name = "guesser" });
                key = await server.ApiKeyAsync("guesser", ClaimsWorld.OwnerRights);
                var guesser = server.Client(key);
                devices = await maker.ProvisionAsync(4);
                unknown = devices[0] with { DevEui = ClaimsWorld.NextDevEui() };
                for (var i = 0; i < 3; i++)
                {
                    await guesser.ClaimAsync(unknown, NetA, code: "WRONGCODE123");
                }
                for (var i = 0; i < 3; i++)
                {
                    (await guesser.ClaimAsync(devices[i], NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden);
                }
            }

            await using var restarted = await TestServer.StartAsync(Settings, dataDirectory: directory);
            var again = restarted.Client(key);
            (await again.ClaimAsync(unknown, NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");
            (await again.ClaimAsync(devices[3], NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

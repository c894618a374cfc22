using System.Net;
using System.Net.Http.Json;
using Custodian.Server.Configuration;
using Custodian.Server.Makers;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Tests.Makers;

/// <summary>Security review 2, finding 2: provisioning had no rate limit. Now devices per minute per API key.</summary>
public sealed class ProvisioningRateTests
{
    [Fact]
    public async Task A_key_past_its_devices_a_minute_gets_429_with_Retry_After_and_another_key_goes_on()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:Provisioning:DevicesPerMinute"] = "5" });
        var maker = await server.TenantAsync("rate-maker", "devices:provision");
        var second = server.Client(await server.ApiKeyAsync("rate-maker", "devices:provision"));
        var devices = Enumerable.Range(1, 5).Select(i => new { joinEui = "70B3D57ED0000000", devEui = $"00000000000D000{i}", macVersion = "1.0.3" }).ToArray();
        (await maker.PostAsync("/api/v1/devices/batch", new { devices })).Status.Should().Be(HttpStatusCode.OK);

        using var refused = await maker.PostAsJsonAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000D0006", macVersion = "1.0.3" },
            TestContext.Current.CancellationToken);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.Should().BeInRange(1, 13);
        problem.Detail().Should().Contain("5 devices a minute");
        (await server.Store.GetDeviceAsync(DevEui.Parse("00000000000D0006"), TestContext.Current.CancellationToken)).Should().BeNull();
        (await second.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000D0006", macVersion = "1.0.3" })).Status
            .Should().Be(HttpStatusCode.Created, "the limit is per key");
    }

    [Fact]
    public void The_allowance_refills_evenly_over_a_minute_and_a_refused_call_spends_nothing()
    {
        var clock = new ManualClock();
        var throttle = new ProvisioningThrottle(Options.Create(new CustodianOptions { Provisioning = new ProvisioningOptions { DevicesPerMinute = 60 } }), clock);

        throttle.TrySpend("k", 60).Should().BeNull();
        var refused = throttle.TrySpend("k", 2);
        refused!.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(1));
        throttle.TrySpend("k", 2)!.RetryAfter.Should().Be(TimeSpan.FromSeconds(1), "the refusal spent nothing");
        clock.Advance(TimeSpan.FromSeconds(1));
        throttle.TrySpend("k", 2).Should().BeNull();
        throttle.TrySpend("other", 60).Should().BeNull();
        clock.Advance(TimeSpan.FromMinutes(5));
        throttle.TrySpend("k", 1000).Should().BeNull("a call larger than a minute's worth goes when the bucket is full");
        throttle.TrySpend("k", 1)!.RetryAfter.Should().BeGreaterThan(TimeSpan.FromMinutes(15));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

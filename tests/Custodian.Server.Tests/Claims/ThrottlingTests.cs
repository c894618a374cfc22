using System.Net;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>A server whose lock-out starts after 2 wrong codes and lasts 30 s, then doubles.</summary>
public sealed class LockoutServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:Lockout:FreeFailures"] = "2",
        ["Custodian:Claims:Lockout:FirstLock"] = "00:00:30",
    };
}

public sealed class LockoutTests(LockoutServer fixture) : IClassFixture<LockoutServer>
{
    [Fact]
    public async Task Wrong_codes_lock_the_guesser_out_of_a_device_with_429_and_Retry_After_and_an_unknown_device_alike()
    {
        var (makerId, maker) = await fixture.TenantAsync("maker", ClaimsWorld.MakerRights);
        var guesser = await fixture.OwnerAsync();
        var owner = await fixture.OwnerAsync();
        var device = await maker.ProvisionOneAsync();
        var unknown = device with { DevEui = ClaimsWorld.NextDevEui() };

        foreach (var target in new[] { device, unknown })
        {
            for (var i = 0; i < 3; i++)
            {
                (await guesser.ClaimAsync(target, NetA, code: "WRONGCODE123")).Body.ShouldBeProblem(HttpStatusCode.Forbidden, "claim_refused");
            }
        }

        var (status, problem, response) = await guesser.SendAsync(HttpMethod.Post, "/api/v1/claims", ClaimsWorld.Claim(device, NetA));
        var (unknownStatus, unknownProblem, unknownResponse) = await guesser.SendAsync(HttpMethod.Post, "/api/v1/claims", ClaimsWorld.Claim(unknown, NetA, code: "WRONGCODE123"));

        status.Should().Be(HttpStatusCode.TooManyRequests, "even the right code waits out the guesser's lock");
        problem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");
        response.RetryAfterSeconds().Should().BeInRange(1, 30);
        problem.GetProperty("retryAfter").GetInt64().Should().Be(response.RetryAfterSeconds());
        unknownStatus.Should().Be(HttpStatusCode.TooManyRequests);
        unknownProblem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");
        unknownResponse.RetryAfterSeconds().Should().BeInRange(1, 30);
        unknownProblem.Detail().Replace(unknown.DevEui, "X", StringComparison.Ordinal).Should().StartWith(
            problem.Detail().Replace(device.DevEui, "X", StringComparison.Ordinal)[..40]);
        response.Dispose();
        unknownResponse.Dispose();

        var (_, batch) = await guesser.PostAsync("/api/v1/claims/batch", new { claims = new[] { ClaimsWorld.Claim(device, NetA) } });
        var item = batch.GetProperty("results")[0];
        item.Text("status").Should().Be("failed");
        item.GetProperty("error").GetProperty("code").GetString().Should().Be("claim_locked");
        item.GetProperty("error").GetProperty("retryAfter").GetInt64().Should().BeInRange(1, 30);
        var (_, unknownBatch) = await guesser.PostAsync("/api/v1/claims/batch", new { claims = new[] { ClaimsWorld.Claim(unknown, NetA, code: "WRONGCODE123") } });
        unknownBatch.GetProperty("results")[0].GetProperty("error").GetProperty("code").GetString().Should().Be("claim_locked");

        (await owner.ClaimAsync(device, NetA)).Status.Should().Be(HttpStatusCode.Created, "another claimant is not locked out");
        (await maker.EventsAsync(device.DevEui)).Should().NotContain(e => e.Text("type") == "device.claim_locked");
        makerId.Should().StartWith("maker");
        var guesserEvents = await guesser.EventsAsync();
        guesserEvents.Where(e => e.Text("devEui") == device.DevEui).Select(e => (e.Text("type"), e.Text("code")))
            .Should().Equal(guesserEvents.Where(e => e.Text("devEui") == unknown.DevEui).Select(e => (e.Text("type"), e.Text("code"))), "the guesser's audit cannot tell them apart");
        guesserEvents.Should().Contain(e => e.Text("type") == "device.claim_locked");
    }
}

/// <summary>A server with small request buckets: 3 per API key, 5 per client IP, refilled at 1 a minute.</summary>
public sealed class RateLimitedServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:RateLimit:ApiKeyBurst"] = "3",
        ["Custodian:Claims:RateLimit:ApiKeyRequestsPerMinute"] = "1",
        ["Custodian:Claims:RateLimit:ClientIpBurst"] = "5",
        ["Custodian:Claims:RateLimit:ClientIpRequestsPerMinute"] = "1",
    };
}

public sealed class RateLimitTests(RateLimitedServer fixture) : IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task Requests_over_the_key_and_the_IP_limits_are_429_with_Retry_After()
    {
        var first = await fixture.OwnerAsync();
        var second = await fixture.OwnerAsync();

        for (var i = 0; i < 3; i++)
        {
            (await first.GetJsonAsync("/api/v1/claims")).Status.Should().Be(HttpStatusCode.OK, $"request {i + 1} is within the key's burst");
        }
        var (status, problem, response) = await first.SendAsync(HttpMethod.Get, "/api/v1/claims");

        status.Should().Be(HttpStatusCode.TooManyRequests);
        problem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        problem.Detail().Should().Contain("this API key");
        response.RetryAfterSeconds().Should().BeInRange(1, 60);
        problem.GetProperty("retryAfter").GetInt64().Should().Be(response.RetryAfterSeconds());
        response.Dispose();
        (await first.PostAsync("/api/v1/claims", new { qr = "x" })).Status.Should().Be(HttpStatusCode.TooManyRequests, "every claim endpoint shares the bucket");

        // The other key has its own bucket, but the address's (5) is shared: 3 were taken by the first key
        // (a request its key's bucket refused takes nothing from the address's).
        (await second.GetJsonAsync("/api/v1/join-euis/70B3D57ED0000000")).Status.Should().Be(HttpStatusCode.OK);
        (await second.GetJsonAsync("/api/v1/claims")).Status.Should().Be(HttpStatusCode.OK);
        var (ipStatus, ipProblem, ipResponse) = await second.SendAsync(HttpMethod.Get, "/api/v1/claims");
        ipStatus.Should().Be(HttpStatusCode.TooManyRequests);
        ipProblem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        ipProblem.Detail().Should().Contain("this client address");
        ipResponse.RetryAfterSeconds().Should().BeInRange(1, 60);
        ipResponse.Dispose();

        (await fixture.Server.Admin.GetJsonAsync("/api/v1/events")).Status.Should().Be(HttpStatusCode.OK, "other endpoints are not throttled");
        var metrics = await fixture.Server.MetricsAsync();
        metrics.Should().Contain("custodian_claim_requests_rate_limited_total{limit=\"api_key\"}").And.Contain("custodian_claim_requests_rate_limited_total{limit=\"client_ip\"}");
    }
}

/// <summary>A server where one API key may present 5 wrong codes an hour.</summary>
public sealed class WrongCodeBudgetServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "5",
        ["Custodian:Claims:RateLimit:WrongCodePeriod"] = "01:00:00",
    };
}

public sealed class WrongCodeBudgetTests(WrongCodeBudgetServer fixture) : IClassFixture<WrongCodeBudgetServer>
{
    [Fact]
    public async Task A_key_that_sprays_wrong_codes_over_many_devices_is_stopped_and_others_are_not()
    {
        var maker = await fixture.MakerAsync();
        var guesser = await fixture.OwnerAsync();
        var honest = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(8);
        var guesses = devices.Take(5).Select(d => ClaimsWorld.Claim(d, NetA, code: "WRONGCODE123")).ToArray();

        var (status, body) = await guesser.PostAsync("/api/v1/claims/batch", new { claims = guesses });
        status.Should().Be(HttpStatusCode.OK, "the call that spends the budget is still answered");
        body.GetProperty("results").EnumerateArray().Should().OnlyContain(r => r.GetProperty("error").GetProperty("code").GetString() == "claim_refused");

        var (single, problem, response) = await guesser.SendAsync(HttpMethod.Post, "/api/v1/claims", ClaimsWorld.Claim(devices[5], NetA));
        var (batch, batchProblem, batchResponse) = await guesser.SendAsync(HttpMethod.Post, "/api/v1/claims/batch", new { claims = new[] { ClaimsWorld.Claim(devices[6], NetA) } });

        single.Should().Be(HttpStatusCode.TooManyRequests, "even a right code, until the budget refills");
        problem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        problem.Detail().Should().Contain("wrong claim codes");
        response.RetryAfterSeconds().Should().BeInRange(600, 721, "one wrong code's worth of an hour's budget of 5");
        batch.Should().Be(HttpStatusCode.TooManyRequests);
        batchProblem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        batchResponse.RetryAfterSeconds().Should().BeGreaterThan(0);
        response.Dispose();
        batchResponse.Dispose();
        (await guesser.GetJsonAsync("/api/v1/claims")).Status.Should().Be(HttpStatusCode.OK, "reading is not guessing");
        (await honest.ClaimAsync(devices[7], NetA)).Status.Should().Be(HttpStatusCode.Created, "the budget is per key");
        (await fixture.Server.MetricsAsync()).Should().Contain("custodian_claims_total{result=\"rate_limited\"} 2");
        fixture.Server.Logs.Lines.Should().Contain(l => l.Contains("[1130]", StringComparison.Ordinal));
    }
}

/// <summary>A server with every claim rate limit off.</summary>
public sealed class UnlimitedServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:RateLimit:Enabled"] = "false",
        ["Custodian:Claims:RateLimit:ApiKeyBurst"] = "1",
        ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "1",
    };
}

public sealed class UnlimitedTests(UnlimitedServer fixture) : IClassFixture<UnlimitedServer>
{
    [Fact]
    public async Task With_the_limits_off_nothing_but_the_device_lock_out_throttles()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(4);

        for (var i = 0; i < 3; i++)
        {
            (await owner.ClaimAsync(devices[i], NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden);
        }

        (await owner.ClaimAsync(devices[3], NetA)).Status.Should().Be(HttpStatusCode.Created);
    }
}

public sealed class ClaimOptionsTests
{
    [Theory]
    [InlineData("Custodian:Claims:RateLimit:ApiKeyBurst", "0", "Custodian:Claims:RateLimit:ApiKeyBurst")]
    [InlineData("Custodian:Claims:RateLimit:WrongCodePeriod", "00:00:00", "Custodian:Claims:RateLimit:WrongCodePeriod")]
    [InlineData("Custodian:Claims:Lockout:FirstLock", "-00:01:00", "Custodian:Claims:Lockout:FirstLock")]
    public async Task A_bad_claims_setting_stops_the_start_naming_the_key(string key, string value, string named)
    {
        var server = new TestServer();
        try
        {
            var app = server.Build(new Dictionary<string, string?> { [key] = value });
            var start = async () => await app.StartAsync(TestContext.Current.CancellationToken);
            (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message.Should().Contain(named);
            await app.DisposeAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

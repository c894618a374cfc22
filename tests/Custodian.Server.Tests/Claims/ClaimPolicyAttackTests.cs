using System.Net;
using System.Text;
using System.Text.Json;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// The attacks of the security review (findings 3, 4 and 5), each as a test that failed before the claim policy moved
/// into Core: against the real server, through every claim entry point.
/// </summary>
public sealed class ClaimPolicyAttackTests(ClaimPolicyAttackServer fixture) : IClassFixture<ClaimPolicyAttackServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Finding 3: seven wrong codes for one DevEUI in one batch told a known device (locked) from an unknown one.</summary>
    [Fact]
    public async Task Finding3_a_batch_naming_one_DevEUI_seven_times_answers_a_known_and_an_unknown_device_alike()
    {
        var maker = await fixture.MakerAsync();
        var guesser = await fixture.OwnerAsync();
        var known = await maker.ProvisionOneAsync();
        var unknown = known with { DevEui = ClaimsWorld.NextDevEui() };

        var knownCodes = await BatchCodesAsync(guesser, Enumerable.Repeat(ClaimsWorld.Claim(known, NetA, code: "WRONGCODE123"), 7));
        var unknownCodes = await BatchCodesAsync(guesser, Enumerable.Repeat(ClaimsWorld.Claim(unknown, NetA, code: "WRONGCODE123"), 7));

        knownCodes.Should().Equal(unknownCodes);
        knownCodes.Should().NotContain("claim_locked", "one batch decides a DevEUI once");
        knownCodes[0].Should().Be("claim_refused");
        knownCodes.Skip(1).Should().OnlyContain(c => c == "invalid_field");
    }

    /// <summary>Finding 3, through the import: seven rows of one DevEUI.</summary>
    [Fact]
    public async Task Finding3_an_import_naming_one_DevEUI_seven_times_answers_a_known_and_an_unknown_device_alike()
    {
        var maker = await fixture.MakerAsync();
        var guesser = await fixture.OwnerAsync();
        var known = await maker.ProvisionOneAsync();
        var unknown = ClaimsWorld.NextDevEui();

        var knownCodes = await ImportCodesAsync(guesser, Enumerable.Repeat(known.DevEui, 7), known.JoinEui);
        var unknownCodes = await ImportCodesAsync(guesser, Enumerable.Repeat(unknown, 7), known.JoinEui);

        knownCodes.Should().Equal(unknownCodes);
        knownCodes.Should().NotContain("claim_locked");
    }

    /// <summary>Finding 5: a stranger's wrong codes (with a wrong JoinEUI, or the right one) locked the buyer out.</summary>
    [Fact]
    public async Task Finding5_a_stranger_cannot_lock_the_buyer_out_and_locks_only_itself()
    {
        var maker = await fixture.MakerAsync();
        var stranger = await fixture.OwnerAsync();
        var buyer = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(2);
        var wrongJoinEui = devices[0] with { JoinEui = "0000000000000000" };

        for (var i = 0; i < 8; i++)
        {
            await stranger.ClaimAsync(wrongJoinEui, NetA, code: "WRONGCODE123");
            await stranger.ClaimAsync(devices[1], NetA, code: "WRONGCODE123");
        }

        (await stranger.ClaimAsync(devices[1], NetA)).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");
        (await stranger.ClaimAsync(wrongJoinEui, NetA)).Body.ShouldBeProblem(HttpStatusCode.TooManyRequests, "claim_locked");
        (await buyer.ClaimAsync(devices[0], NetA)).Status.Should().Be(HttpStatusCode.Created, "the buyer holds the right code");
        (await buyer.ClaimAsync(devices[1], NetA)).Status.Should().Be(HttpStatusCode.Created, "the stranger locked only itself");
    }

    private static async Task<List<string>> BatchCodesAsync(HttpClient client, IEnumerable<object> claims)
    {
        var (status, body) = await client.PostAsync("/api/v1/claims/batch", new { claims = claims.ToArray() });
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return [.. body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("error").GetProperty("code").GetString()!)];
    }

    private static async Task<List<string>> ImportCodesAsync(HttpClient client, IEnumerable<string> devEuis, string joinEui)
    {
        var csv = new StringBuilder("dev_eui;join_eui;claim_authentication_code\n");
        foreach (var devEui in devEuis)
        {
            csv.Append($"{devEui};{joinEui};WRONGCODE123\n");
        }
        using var response = await client.PostAsync($"/api/v1/claims/import?homeNetId={NetA}&name=guesses.csv", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone());
        return [.. lines.Where(l => l.TryGetProperty("line", out _)).Select(l => l.GetProperty("error").GetProperty("code").GetString()!)];
    }
}

/// <summary>The default lock-out (5 free wrong codes), with room in the budget.</summary>
public sealed class ClaimPolicyAttackServer : ClaimsServer;

/// <summary>A server where one API key may present 5 wrong codes an hour.</summary>
public sealed class SmallBudgetServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "5",
    };
}

/// <summary>Finding 4: one batch (or import) of any size evaluated every wrong code, whatever was left of the budget.</summary>
public sealed class WrongCodeBudgetBatchTests(SmallBudgetServer fixture) : IClassFixture<SmallBudgetServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Finding4_a_batch_is_evaluated_only_as_far_as_the_budget_goes_and_the_rest_is_rate_limited()
    {
        var maker = await fixture.MakerAsync();
        var guesser = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(30);

        var (status, body) = await guesser.PostAsync("/api/v1/claims/batch", new { claims = devices.Select(d => ClaimsWorld.Claim(d, NetA, code: "WRONGCODE123")).ToArray() });

        status.Should().Be(HttpStatusCode.OK);
        var codes = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("error").GetProperty("code").GetString()).ToList();
        codes.Count(c => c == "claim_refused").Should().Be(5, "the budget is 5");
        codes.Skip(5).Should().OnlyContain(c => c == "rate_limited");
        body.GetProperty("results")[29].GetProperty("error").GetProperty("retryAfter").GetInt64().Should().BeGreaterThan(0);
        var (next, problem, response) = await guesser.SendAsync(HttpMethod.Post, "/api/v1/claims", ClaimsWorld.Claim(devices[0], NetA));
        next.Should().Be(HttpStatusCode.TooManyRequests);
        problem.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate_limited");
        response.RetryAfterSeconds().Should().BeGreaterThan(0);
        response.Dispose();
    }

    [Fact]
    public async Task Finding4_an_import_is_evaluated_only_as_far_as_the_budget_goes()
    {
        var maker = await fixture.MakerAsync();
        var guesser = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(12);
        var csv = new StringBuilder("dev_eui;join_eui;claim_authentication_code\n");
        foreach (var device in devices)
        {
            csv.Append($"{device.DevEui};{device.JoinEui};WRONGCODE123\n");
        }

        using var response = await guesser.PostAsync($"/api/v1/claims/import?homeNetId={NetA}&name=g.csv", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), Ct);
        var rows = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).Where(l => l.TryGetProperty("line", out _)).ToList();

        rows.Select(r => r.GetProperty("error").GetProperty("code").GetString()).Should().Equal(
            [.. Enumerable.Repeat("claim_refused", 5), .. Enumerable.Repeat("rate_limited", 7)]);
    }

    [Fact]
    public async Task A_right_code_spends_nothing_of_the_budget()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(12);

        var (status, body) = await owner.PostAsync("/api/v1/claims/batch", new { claims = devices.Select(d => ClaimsWorld.Claim(d, NetA)).ToArray() });

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("results").EnumerateArray().Should().OnlyContain(r => r.GetProperty("status").GetString() == "claimed");
        (await owner.ClaimAsync(devices[0], NetA, code: "WRONGCODE123")).Status.Should().Be(HttpStatusCode.Forbidden, "the budget is still whole");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary>A server where a key may present 2 wrong codes an hour, unless an admin gives it more.</summary>
public sealed class TinyBudgetServer : ClaimsServer
{
    protected override IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Custodian:Claims:RateLimit:WrongCodesPerApiKey"] = "2",
    };
}

/// <summary><c>PATCH /api/v1/tenants/{id}/api-keys/{keyId}</c>: one key's own limits (the one key of a whole TTS deployment).</summary>
public sealed class ApiKeyLimitsTests(TinyBudgetServer fixture) : IClassFixture<TinyBudgetServer>
{
    [Fact]
    public async Task An_admin_raises_one_keys_wrong_code_budget_it_is_listed_and_applied_and_null_resets_it()
    {
        var maker = await fixture.MakerAsync();
        var (tenantId, _) = await fixture.TenantAsync("dcs", ClaimsWorld.OwnerRights);
        var (created, key) = await fixture.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "tts", rights = ClaimsWorld.OwnerRights });
        created.Should().Be(HttpStatusCode.Created);
        var keyId = key.Text("id");
        var client = fixture.Server.Client(key.Text("key"));
        var path = $"/api/v1/tenants/{tenantId}/api-keys/{keyId}";

        var (patched, item) = await PatchAsync(fixture.Server.Admin, path, new { limits = new { wrongCodesPerHour = 6, requestsPerMinute = 6000 } });
        patched.Should().Be(HttpStatusCode.OK, item.ToString());
        item.GetProperty("limits").GetProperty("wrongCodesPerHour").GetInt32().Should().Be(6);
        var (_, list) = await fixture.Server.Admin.GetJsonAsync($"/api/v1/tenants/{tenantId}/api-keys");
        var listed = list.GetProperty("apiKeys").EnumerateArray().Single(k => k.Text("id") == keyId);
        listed.GetProperty("limits").GetProperty("requestsPerMinute").GetInt32().Should().Be(6000);

        var devices = await maker.ProvisionAsync(10);
        var (_, body) = await client.PostAsync("/api/v1/claims/batch", new { claims = devices.Select(d => ClaimsWorld.Claim(d, NetA, code: "WRONGCODE123")).ToArray() });
        var codes = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("error").GetProperty("code").GetString()).ToList();
        codes.Count(c => c == "claim_refused").Should().Be(6, "the key's own budget, not the server's 2");

        var (reset, resetItem) = await PatchAsync(fixture.Server.Admin, path, new { limits = (object?)null });
        reset.Should().Be(HttpStatusCode.OK);
        resetItem.GetProperty("limits").GetProperty("wrongCodesPerHour").ValueKind.Should().Be(JsonValueKind.Null);
        var (_, partial) = await PatchAsync(fixture.Server.Admin, path, new { limits = new { requestsPerMinute = 100 } });
        partial.GetProperty("limits").GetProperty("requestsPerMinute").GetInt32().Should().Be(100);
        partial.GetProperty("limits").GetProperty("wrongCodesPerHour").ValueKind.Should().Be(JsonValueKind.Null, "a limit left out stays as it is");
    }

    [Fact]
    public async Task Bad_limits_are_400_and_an_unknown_key_404_and_only_an_admin_may()
    {
        var (tenantId, owner) = await fixture.TenantAsync("dcs", ClaimsWorld.OwnerRights);
        var (_, key) = await fixture.Server.Admin.PostAsync($"/api/v1/tenants/{tenantId}/api-keys", new { name = "tts", rights = ClaimsWorld.OwnerRights });
        var path = $"/api/v1/tenants/{tenantId}/api-keys/{key.Text("id")}";

        foreach (var bad in new object[]
        {
            new { limits = new { wrongCodesPerHour = 0 } },
            new { limits = new { wrongCodesPerHour = "many" } },
            new { limits = new { burst = 5 } },
            new { limits = 5 },
            new { name = "x" },
        })
        {
            var (status, problem) = await PatchAsync(fixture.Server.Admin, path, bad);
            problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
            status.Should().Be(HttpStatusCode.BadRequest);
        }
        (await PatchAsync(fixture.Server.Admin, $"/api/v1/tenants/{tenantId}/api-keys/key_nothere", new { limits = (object?)null }))
            .Body.ShouldBeProblem(HttpStatusCode.NotFound, "api_key_not_found");
        (await PatchAsync(owner, path, new { limits = (object?)null })).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PatchAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}

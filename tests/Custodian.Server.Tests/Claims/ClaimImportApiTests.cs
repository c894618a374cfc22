using System.Net;
using System.Text;
using System.Text.Json;
using static Custodian.Server.Tests.Claims.ClaimsServer;

namespace Custodian.Server.Tests.Claims;

/// <summary><c>POST /api/v1/claims/import</c>: a claim file in the body, claimed in batches, answered as NDJSON while it runs.</summary>
public sealed class ClaimImportApiTests(ClaimsServer fixture) : IClassFixture<ClaimsServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_CSV_file_is_claimed_row_by_row_with_progress_results_in_file_order_and_a_summary()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var d = await maker.ProvisionAsync(4);
        (await owner.ClaimAsync(d[3], NetA)).Status.Should().Be(HttpStatusCode.Created);
        var csv = new StringBuilder("dev_eui;join_eui;claim_authentication_code;qr_code\n")
            .Append($"{d[0].DevEui};{d[0].JoinEui};{d[0].ClaimCode};\n")
            .Append($"NOT-A-DEVEUI;{d[1].JoinEui};{d[1].ClaimCode};\n")
            .Append('\n') // blank lines are skipped, and line numbers still count them
            .Append($"{d[1].DevEui};{d[1].JoinEui};WRONGCODE1234567;\n")
            .Append($";;;{d[2].Qr}\n")
            .Append($"{d[3].DevEui};{d[3].JoinEui};{d[3].ClaimCode};\n");

        var (status, contentType, lines) = await ImportAsync(owner, csv.ToString(), $"homeNetId={NetA}&name=devices.csv");

        status.Should().Be(HttpStatusCode.OK);
        contentType.Should().Be("application/x-ndjson");
        lines[0].GetProperty("progress").GetProperty("done").GetInt64().Should().Be(0);
        lines[0].GetProperty("progress").GetProperty("total").GetInt64().Should().Be(5);
        var rows = lines.Where(l => l.TryGetProperty("line", out _)).ToList();
        rows.Select(r => r.GetProperty("line").GetInt32()).Should().Equal(2, 3, 5, 6, 7);
        rows.Select(r => r.GetProperty("status").GetString()).Should().Equal("claimed", "failed", "failed", "claimed", "already-claimed");
        rows[0].GetProperty("devEui").GetString().Should().Be(d[0].DevEui);
        rows[1].GetProperty("devEui").GetString().Should().Be("NOT-A-DEVEUI", "the row is shown as the file wrote it, as the CLI's report does");
        rows[1].GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_field");
        rows[1].GetProperty("error").GetProperty("detail").GetString().Should().Be("dev_eui: 'NOT-A-DEVEUI' is not a DevEUI (16 hex digits)");
        rows[2].GetProperty("devEui").GetString().Should().Be(d[1].DevEui);
        rows[2].GetProperty("error").GetProperty("code").GetString().Should().Be("claim_refused");
        rows[3].GetProperty("devEui").GetString().Should().Be(d[2].DevEui);
        var last = lines[^1].GetProperty("summary");
        (last.GetProperty("total").GetInt64(), last.GetProperty("claimed").GetInt64(), last.GetProperty("alreadyClaimed").GetInt64(), last.GetProperty("failed").GetInt64())
            .Should().Be((5, 2, 1, 2));
        lines[^2].GetProperty("progress").GetProperty("done").GetInt64().Should().Be(5);

        (await owner.GetJsonAsync($"/api/v1/claims/{d[0].DevEui}")).Status.Should().Be(HttpStatusCode.OK);
        (await owner.GetJsonAsync($"/api/v1/claims/{d[2].DevEui}")).Status.Should().Be(HttpStatusCode.OK);
        (await owner.GetJsonAsync($"/api/v1/claims/{d[1].DevEui}")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_large_JSON_file_reports_progress_batch_by_batch()
    {
        var maker = await fixture.MakerAsync();
        var owner = await fixture.OwnerAsync();
        var devices = await maker.ProvisionAsync(1_100);
        var json = JsonSerializer.Serialize(devices.Select(d => new { joinEui = d.JoinEui, devEui = d.DevEui, claimCode = d.ClaimCode }));

        var (status, _, lines) = await ImportAsync(owner, json, $"homeNetId={NetB}&asId={AsId}&name=devices.json");

        status.Should().Be(HttpStatusCode.OK);
        lines.Where(l => l.TryGetProperty("progress", out _)).Select(l => l.GetProperty("progress").GetProperty("done").GetInt64())
            .Should().Equal(0, 500, 1_000, 1_100);
        lines.Count(l => l.TryGetProperty("line", out var _) && l.GetProperty("status").GetString() == "claimed").Should().Be(1_100);
        var (_, claim) = await owner.GetJsonAsync($"/api/v1/claims/{devices[^1].DevEui}");
        claim.Text("homeNetId").Should().Be(NetB);
        claim.Text("asId").Should().Be(AsId);
    }

    [Fact]
    public async Task A_file_that_cannot_be_used_is_refused_before_any_claim()
    {
        var owner = await fixture.OwnerAsync();
        var maker = await fixture.MakerAsync();
        var device = (await maker.ProvisionAsync())[0];

        var noHeader = await RefusalAsync(owner, $"{device.DevEui},{device.JoinEui},{device.ClaimCode}\n", $"homeNetId={NetA}&name=devices.csv");
        noHeader.Should().StartWith("devices.csv has no usable header row: expected a header row naming the columns dev_eui");
        var brokenJson = await RefusalAsync(owner, $"[{{\"devEui\":\"{device.DevEui}\"}}, {{\"devEui\":", $"homeNetId={NetA}&name=devices.json");
        brokenJson.Should().Contain("devices.json").And.NotContain("/tmp");
        (await RefusalAsync(owner, "", $"homeNetId={NetA}&name=empty.csv")).Should().StartWith("empty.csv is empty");
        var (noHome, noHomeBody) = await owner.PostAsync("/api/v1/claims/import", new { });
        noHome.Should().Be(HttpStatusCode.BadRequest);
        noHomeBody.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        (await owner.GetJsonAsync($"/api/v1/claims/{device.DevEui}")).Status.Should().Be(HttpStatusCode.NotFound);

        var (_, reader) = await fixture.TenantAsync("reader", "devices:read");
        using var forbidden = await reader.PostAsync($"/api/v1/claims/import?homeNetId={NetA}", new StringContent("x"), Ct);
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden, "importing needs devices:claim");
    }

    private static async Task<string> RefusalAsync(HttpClient owner, string body, string query)
    {
        using var response = await owner.PostAsync($"/api/v1/claims/import?{query}", new StringContent(body), Ct);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, problem.ToString());
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request");
        return problem.Detail();
    }

    private static async Task<(HttpStatusCode Status, string? ContentType, List<JsonElement> Lines)> ImportAsync(HttpClient owner, string body, string query)
    {
        using var response = await owner.PostAsync($"/api/v1/claims/import?{query}", new StringContent(body, Encoding.UTF8, "text/csv"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, lines);
    }
}

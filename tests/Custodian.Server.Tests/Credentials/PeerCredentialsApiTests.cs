using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Custodian.Server.Tests.Credentials;

/// <summary>Rotating, replacing and removing the credentials of networks and application servers (SQLite, one instance).</summary>
public sealed class PeerCredentialsApiTests(RunningServer running) : IClassFixture<RunningServer>
{
    private const string NsId = "0011223344556677";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestServer Server => running.Server;

    [Fact]
    public async Task A_rotated_network_token_is_shown_once_and_the_old_one_is_refused_at_once()
    {
        var old = await Server.NetworkAsync("0000A1");
        (await PeerProbe.NetworkAsync(Server.Client(), old, "0000A1")).Should().Be(PeerProbe.Accepted, "the old token works before rotation (and is now remembered)");

        using var response = await Server.Admin.PostAsync("/api/v1/networks/0000A1/token", null, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.CacheControl!.NoStore.Should().BeTrue("the answer carries the new token");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        body.GetProperty("netId").GetString().Should().Be("0000A1");
        var fresh = body.GetProperty("token").GetString()!;
        fresh.Should().StartWith("cbi_").And.NotBe(old);
        (await PeerProbe.NetworkAsync(Server.Client(), old, "0000A1")).Should().Be(PeerProbe.Refused);
        (await PeerProbe.NetworkAsync(Server.Client(), fresh, "0000A1")).Should().Be(PeerProbe.Accepted);
        Server.Logs.Lines.Should().NotContain(l => l.Contains(fresh, StringComparison.Ordinal) || l.Contains(old, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_network_with_an_NSID_is_named_by_nsId_and_the_one_without_is_left_alone()
    {
        var plain = await Server.NetworkAsync("0000A2");
        var withNsId = await Server.NetworkAsync("0000A2", NsId);

        using var rotated = await Server.Admin.PostAsync($"/api/v1/networks/0000A2/token?nsId={NsId.ToLowerInvariant()}", null, Ct);

        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        var fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
        (await PeerProbe.NetworkAsync(Server.Client(), withNsId, "0000A2", NsId)).Should().Be(PeerProbe.Refused);
        (await PeerProbe.NetworkAsync(Server.Client(), fresh, "0000A2", NsId)).Should().Be(PeerProbe.Accepted);
        (await PeerProbe.NetworkAsync(Server.Client(), plain, "0000A2")).Should().Be(PeerProbe.Accepted, "the network without NSID keeps its token");
    }

    [Fact]
    public async Task A_removed_network_is_refused_at_once_and_may_be_registered_again()
    {
        var token = await Server.NetworkAsync("0000A3");

        using var removed = await Server.Admin.DeleteAsync("/api/v1/networks/0000A3", Ct);

        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await PeerProbe.NetworkAsync(Server.Client(), token, "0000A3")).Should().Be(PeerProbe.Refused);
        var (_, list) = await Server.Admin.GetJsonAsync("/api/v1/networks");
        list.GetProperty("networks").EnumerateArray().Should().NotContain(n => n.GetProperty("netId").GetString() == "0000A3");
        using var again = await Server.Admin.DeleteAsync("/api/v1/networks/0000A3", Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound, "network_not_found");
        var registered = await Server.NetworkAsync("0000A3");
        (await PeerProbe.NetworkAsync(Server.Client(), registered, "0000A3")).Should().Be(PeerProbe.Accepted);
    }

    [Fact]
    public async Task Application_server_tokens_rotate_and_the_server_can_be_removed()
    {
        var (_, created) = await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as-rotate.example" });
        var old = created.GetProperty("token").GetString()!;
        (await PeerProbe.ApplicationServerAsync(Server.Client(), old, "as-rotate.example")).Should().Be(PeerProbe.Accepted);

        using var rotated = await Server.Admin.PostAsync("/api/v1/application-servers/as-rotate.example/token", null, Ct);

        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        rotated.Headers.CacheControl!.NoStore.Should().BeTrue();
        var fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
        (await PeerProbe.ApplicationServerAsync(Server.Client(), old, "as-rotate.example")).Should().Be(PeerProbe.Refused);
        (await PeerProbe.ApplicationServerAsync(Server.Client(), fresh, "as-rotate.example")).Should().Be(PeerProbe.Accepted);

        using var removed = await Server.Admin.DeleteAsync("/api/v1/application-servers/as-rotate.example", Ct);

        removed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await PeerProbe.ApplicationServerAsync(Server.Client(), fresh, "as-rotate.example")).Should().Be(PeerProbe.Refused);
        using var missing = await Server.Admin.PostAsync("/api/v1/application-servers/as-rotate.example/token", null, Ct);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "application_server_not_found");
    }

    [Fact]
    public async Task Unknown_or_malformed_peers_are_404_and_400_and_tenants_without_admin_are_403()
    {
        using var unknown = await Server.Admin.PostAsync("/api/v1/networks/0000A4/token", null, Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "network_not_found");
        using var badNetId = await Server.Admin.DeleteAsync("/api/v1/networks/ZZ", Ct);
        await badNetId.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        using var badNsId = await Server.Admin.DeleteAsync("/api/v1/networks/0000A4?nsId=12", Ct);
        await badNsId.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        using var badAsId = await Server.Admin.PutAsJsonAsync("/api/v1/application-servers/a%20b/certificate", new { clientCertificate = (string?)null }, Ct);
        await badAsId.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");

        await Server.NetworkAsync("0000A4");
        var tenant = await Server.TenantAsync("peers-not-admin", "devices:read");
        using var forbidden = await tenant.PostAsync("/api/v1/networks/0000A4/token", null, Ct);
        forbidden.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_certificate_is_replaced_or_dropped_and_one_outside_its_dates_is_refused()
    {
        await Server.NetworkAsync("0000A5");
        var now = DateTimeOffset.UtcNow;
        using var valid = PeerProbe.Certificate(now.AddDays(-1), now.AddDays(30));
        using var expired = PeerProbe.Certificate(now.AddDays(-60), now.AddDays(-30));
        using var future = PeerProbe.Certificate(now.AddDays(10), now.AddDays(40));

        using var set = await Server.Admin.PutAsJsonAsync("/api/v1/networks/0000A5/certificate", new { clientCertificate = PeerProbe.Pem(valid) }, Ct);
        set.StatusCode.Should().Be(HttpStatusCode.OK);
        (await set.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("certificateThumbprint").GetString()
            .Should().Be(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(valid.RawData)));

        using var old = await Server.Admin.PutAsJsonAsync("/api/v1/networks/0000A5/certificate", new { clientCertificate = PeerProbe.Pem(expired) }, Ct);
        (await old.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).Detail().Should().StartWith("clientCertificate: the certificate expired on ");
        using var early = await Server.Admin.PutAsJsonAsync("/api/v1/networks/0000A5/certificate", new { clientCertificate = PeerProbe.Pem(future) }, Ct);
        (await early.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).Detail().Should().StartWith("clientCertificate: the certificate is not valid before ");
        var (status, registered) = await Server.Admin.PostAsync("/api/v1/networks", new { netId = "0000A6", clientCertificate = PeerProbe.Pem(expired) });
        status.Should().Be(HttpStatusCode.BadRequest, "an expired certificate is refused at registration too");
        registered.Detail().Should().Contain("expired");

        using var dropped = await Server.Admin.PutAsJsonAsync("/api/v1/networks/0000A5/certificate", new { clientCertificate = (string?)null }, Ct);
        dropped.StatusCode.Should().Be(HttpStatusCode.OK);
        (await dropped.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("certificateThumbprint", out _).Should().BeFalse();
        var (_, list) = await Server.Admin.GetJsonAsync("/api/v1/networks");
        list.GetProperty("networks").EnumerateArray().Single(n => n.GetProperty("netId").GetString() == "0000A5")
            .TryGetProperty("certificateThumbprint", out _).Should().BeFalse();
    }
}

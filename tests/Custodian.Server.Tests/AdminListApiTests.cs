using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Custodian.Core.Tenancy;

namespace Custodian.Server.Tests;

/// <summary>
/// The admin lists (tenants, a tenant's API keys, networks, application servers) and API key revocation: admin
/// only, never a key, token, hash or KEK in an answer, and a revoked key refused from the next request on.
/// </summary>
public sealed class AdminListApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tenants_page_in_id_order()
    {
        await using var server = await TestServer.StartAsync();
        foreach (var id in new[] { "t-c", "t-a", "t_b", "t-b" })
        {
            (await server.Admin.PostAsync("/api/v1/tenants", new { id, name = "Tenant " + id })).Status.Should().Be(HttpStatusCode.Created);
        }

        var tenants = new List<JsonElement>();
        var pages = 0;
        for (var path = "/api/v1/tenants?limit=2"; ; pages++)
        {
            var (status, body) = await server.Admin.GetJsonAsync(path);
            status.Should().Be(HttpStatusCode.OK, body.ToString());
            tenants.AddRange(body.GetProperty("tenants").EnumerateArray());
            if (body.GetProperty("next").GetString() is not { } next)
            {
                break;
            }
            path = "/api/v1/tenants?limit=2&after=" + next;
        }

        pages.Should().Be(2, "five tenants, two a page");
        tenants.Select(t => t.Text("id")).Should().Equal("operator", "t-a", "t-b", "t-c", "t_b");
        tenants[1].Text("name").Should().Be("Tenant t-a");
        tenants.Should().AllSatisfy(t => t.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "name", "createdAt", "devEuiPrefixes"));
        tenants.Should().AllSatisfy(t => t.GetProperty("devEuiPrefixes").GetArrayLength().Should().Be(0, "no tenant holds a DevEUI block unless given one"));
        (await server.Admin.GetJsonAsync("/api/v1/tenants?limit=0")).Body.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
    }

    [Fact]
    public async Task A_tenants_api_keys_are_listed_without_the_key()
    {
        await using var server = await TestServer.StartAsync();
        await server.TenantAsync("acme", "devices:read");
        using var certificate = Certificate("CN=acme client");
        var (_, created) = await server.Admin.PostAsync("/api/v1/tenants/acme/api-keys", new
        {
            name = "ci",
            rights = new[] { "devices:claim", "events:read" },
            clientCertificate = certificate.ExportCertificatePem(),
        });
        var key = created.Text("key")!;

        var (status, body) = await server.Admin.GetJsonAsync("/api/v1/tenants/acme/api-keys");

        status.Should().Be(HttpStatusCode.OK);
        var keys = body.GetProperty("apiKeys").EnumerateArray().ToList();
        keys.Should().HaveCount(2);
        var listed = keys.Single(k => k.Text("id") == created.Text("id"));
        listed.Text("tenantId").Should().Be("acme");
        listed.Text("name").Should().Be("ci");
        listed.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).Should().Equal("devices:claim", "events:read");
        listed.Text("certificateThumbprint").Should().Be(Convert.ToHexString(SHA256.HashData(certificate.RawData)));
        keys.Should().AllSatisfy(k => k.EnumerateObject().Select(p => p.Name).Should().BeSubsetOf(
            ["id", "tenantId", "name", "rights", "createdAt", "certificateThumbprint", "limits"]));
        var hash = SecretToken.Hash(key);
        body.ToString().Should().NotContain(key).And.NotContain(Convert.ToBase64String(hash)).And.NotContainEquivalentOf(Convert.ToHexString(hash));

        var (unknown, problem) = await server.Admin.GetJsonAsync("/api/v1/tenants/nobody/api-keys");
        unknown.Should().Be(HttpStatusCode.NotFound);
        problem.ShouldBeProblem(HttpStatusCode.NotFound, "tenant_not_found");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        await using var server = await TestServer.StartAsync();
        var reader = await server.TenantAsync("acme", "devices:read");
        (await reader.GetJsonAsync("/api/v1/devices")).Status.Should().Be(HttpStatusCode.OK);
        var keyId = await KeyIdAsync(server, "acme");

        (await DeleteAsync(server.Admin, $"/api/v1/tenants/other/api-keys/{keyId}")).ShouldBeProblem(HttpStatusCode.NotFound, "api_key_not_found");
        (await reader.GetJsonAsync("/api/v1/devices")).Status.Should().Be(HttpStatusCode.OK, "another tenant's path revokes nothing");

        using (var revoked = await server.Admin.DeleteAsync($"/api/v1/tenants/acme/api-keys/{keyId}", Ct))
        {
            revoked.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }

        using var refused = await reader.GetAsync("/api/v1/devices", Ct);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        (await DeleteAsync(server.Admin, $"/api/v1/tenants/acme/api-keys/{keyId}")).ShouldBeProblem(HttpStatusCode.NotFound, "api_key_not_found");
        (await server.Admin.GetJsonAsync("/api/v1/tenants/acme/api-keys")).Body.GetProperty("apiKeys").GetArrayLength().Should().Be(0);
        server.Logs.Lines.Should().Contain(line => line.Contains("[1034]") && line.Contains(keyId));
    }

    [Fact]
    public async Task The_last_admin_key_cannot_be_revoked_but_the_callers_own_key_can()
    {
        await using var server = await TestServer.StartAsync();
        var bootstrapKeyId = await KeyIdAsync(server, "operator");

        var problem = await DeleteAsync(server.Admin, $"/api/v1/tenants/operator/api-keys/{bootstrapKeyId}");

        problem.ShouldBeProblem(HttpStatusCode.Conflict, "last_admin_key");
        problem.Detail().Should().Contain(bootstrapKeyId);
        (await server.Admin.GetJsonAsync("/api/v1/tenants")).Status.Should().Be(HttpStatusCode.OK, "the key still works");

        var secondKey = await server.ApiKeyAsync("operator", "admin");
        var second = server.Client(secondKey);
        using (var own = await server.Admin.DeleteAsync($"/api/v1/tenants/operator/api-keys/{bootstrapKeyId}", Ct))
        {
            own.StatusCode.Should().Be(HttpStatusCode.NoContent, "another admin key remains");
        }
        (await server.Admin.GetJsonAsync("/api/v1/tenants")).Status.Should().Be(HttpStatusCode.Unauthorized);
        var secondKeyId = (await server.Store.FindApiKeyAsync(SecretToken.Hash(secondKey), Ct))!.Id;
        (await DeleteAsync(second, $"/api/v1/tenants/operator/api-keys/{secondKeyId}")).ShouldBeProblem(HttpStatusCode.Conflict, "last_admin_key");
    }

    [Fact]
    public async Task Networks_and_application_servers_are_listed_with_kek_labels_and_thumbprints_only()
    {
        await using var server = await TestServer.StartAsync();
        using var certificate = Certificate("CN=ns.example");
        var kekHex = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var (_, network) = await server.Admin.PostAsync("/api/v1/networks", new
        {
            netId = "00003A",
            nsId = "70B3D57ED0001234",
            name = "Test network",
            kek = new { label = "ns-kek-1", key = kekHex },
            clientCertificate = certificate.ExportCertificatePem(),
        });
        var bareToken = await server.NetworkAsync("000013");
        var (_, applicationServer) = await server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as.example.com", kek = new { label = "as-kek", key = kekHex } });
        string[] secrets = [network.Text("token")!, bareToken, applicationServer.Text("token")!, kekHex, kekHex.ToLowerInvariant()];

        var (networksStatus, networks) = await server.Admin.GetJsonAsync("/api/v1/networks");
        var (serversStatus, servers) = await server.Admin.GetJsonAsync("/api/v1/application-servers");

        networksStatus.Should().Be(HttpStatusCode.OK);
        serversStatus.Should().Be(HttpStatusCode.OK);
        var listed = networks.GetProperty("networks").EnumerateArray().ToList();
        listed.Select(n => n.Text("netId")).Should().Equal("000013", "00003A");
        listed[0].EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("netId", "createdAt", "appSKeyMode");
        listed[1].Text("nsId").Should().Be("70B3D57ED0001234");
        listed[1].Text("name").Should().Be("Test network");
        listed[1].Text("kekLabel").Should().Be("ns-kek-1");
        listed[1].Text("certificateThumbprint").Should().Be(Convert.ToHexString(SHA256.HashData(certificate.RawData)));
        var listedServer = servers.GetProperty("applicationServers").EnumerateArray().Should().ContainSingle().Subject;
        listedServer.Text("asId").Should().Be("as.example.com");
        listedServer.Text("kekLabel").Should().Be("as-kek");
        listedServer.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("asId", "kekLabel", "createdAt");
        foreach (var secret in secrets)
        {
            networks.ToString().Should().NotContain(secret);
            servers.ToString().Should().NotContain(secret);
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1/tenants")]
    [InlineData("GET", "/api/v1/tenants/acme/api-keys")]
    [InlineData("DELETE", "/api/v1/tenants/acme/api-keys/key_0000000000000000")]
    [InlineData("GET", "/api/v1/networks")]
    [InlineData("GET", "/api/v1/application-servers")]
    public async Task Every_admin_list_and_revocation_needs_the_admin_right(string method, string path)
    {
        await using var server = await TestServer.StartAsync();
        var tenant = await server.TenantAsync("acme", "devices:provision", "devices:read", "devices:claim", "devices:unclaim", "events:read");

        using var response = await tenant.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "missing_right")).Detail().Should().Contain("admin");
    }

    /// <summary>The id of the tenant's only key, as the admin list shows it.</summary>
    private static async Task<string> KeyIdAsync(TestServer server, string tenantId)
    {
        var (status, body) = await server.Admin.GetJsonAsync($"/api/v1/tenants/{tenantId}/api-keys");
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        return body.GetProperty("apiKeys").EnumerateArray().Should().ContainSingle().Subject.Text("id")!;
    }

    private static async Task<JsonElement> DeleteAsync(HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static X509Certificate2 Certificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        return new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}

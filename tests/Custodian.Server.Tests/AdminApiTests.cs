using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Custodian.Core.Custody;
using Custodian.Core.Peers;
using Custodian.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

public sealed class AdminApiTests(RunningServer fixture) : IClassFixture<RunningServer>
{
    private TestServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Tenants_are_created_once_and_ids_are_checked()
    {
        var (status, body) = await Server.Admin.PostAsync("/api/v1/tenants", new { id = "admin-t1", name = "Tenant One" });
        status.Should().Be(HttpStatusCode.Created);
        body.Text("id").Should().Be("admin-t1");
        body.Text("name").Should().Be("Tenant One");
        body.TryGetProperty("createdAt", out _).Should().BeTrue();

        var (again, problem) = await Server.Admin.PostAsync("/api/v1/tenants", new { id = "admin-t1", name = "Again" });
        again.Should().Be(HttpStatusCode.Conflict);
        problem.ShouldBeProblem(HttpStatusCode.Conflict, "tenant_exists");

        var (bad, badProblem) = await Server.Admin.PostAsync("/api/v1/tenants", new { id = "Has Spaces", name = "x" });
        bad.Should().Be(HttpStatusCode.BadRequest);
        badProblem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        badProblem.Detail().Should().StartWith("id:");

        var (noName, noNameProblem) = await Server.Admin.PostAsync("/api/v1/tenants", new { id = "admin-t2" });
        noName.Should().Be(HttpStatusCode.BadRequest);
        noNameProblem.Detail().Should().StartWith("name:");
    }

    [Fact]
    public async Task Api_keys_are_shown_once_stored_hashed_and_carry_their_rights()
    {
        await Server.Admin.PostAsync("/api/v1/tenants", new { id = "admin-keys", name = "Keys" });

        var (status, body) = await Server.Admin.PostAsync("/api/v1/tenants/admin-keys/api-keys", new { name = "ci", rights = new[] { "devices:read", "events:read" } });

        status.Should().Be(HttpStatusCode.Created);
        var key = body.Text("key")!;
        key.Should().StartWith(SecretToken.ApiKeyPrefix);
        body.Text("tenantId").Should().Be("admin-keys");
        body.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).Should().Equal("devices:read", "events:read");
        var stored = await Server.Store.FindApiKeyAsync(SecretToken.Hash(key), Ct);
        stored!.Id.Should().Be(body.Text("id"));
        stored.Rights.Should().Be(ApiRights.DevicesRead | ApiRights.EventsRead);
        (await Server.Client(key).GetJsonAsync("/api/v1/events")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_key_errors_name_the_field()
    {
        var (unknownTenant, notFound) = await Server.Admin.PostAsync("/api/v1/tenants/nobody/api-keys", new { name = "x", rights = new[] { "admin" } });
        unknownTenant.Should().Be(HttpStatusCode.NotFound);
        notFound.ShouldBeProblem(HttpStatusCode.NotFound, "tenant_not_found");

        await Server.Admin.PostAsync("/api/v1/tenants", new { id = "admin-badkeys", name = "x" });
        var (badRight, problem) = await Server.Admin.PostAsync("/api/v1/tenants/admin-badkeys/api-keys", new { name = "x", rights = new[] { "devices:fly" } });
        badRight.Should().Be(HttpStatusCode.BadRequest);
        problem.Detail().Should().Contain("rights:").And.Contain("devices:fly");

        var (noRights, noRightsProblem) = await Server.Admin.PostAsync("/api/v1/tenants/admin-badkeys/api-keys", new { name = "x", rights = Array.Empty<string>() });
        noRights.Should().Be(HttpStatusCode.BadRequest);
        noRightsProblem.Detail().Should().StartWith("rights:");
    }

    [Fact]
    public async Task Networks_get_a_token_a_sealed_kek_and_a_certificate_hash()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=ns.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var kekHex = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

        var (status, body) = await Server.Admin.PostAsync("/api/v1/networks", new
        {
            netId = "00003a",
            nsId = "70b3d57ed0001234",
            name = "Test network",
            kek = new { label = "ns-kek-1", key = kekHex },
            clientCertificate = certificate.ExportCertificatePem(),
        });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("netId").Should().Be("00003A");
        body.Text("nsId").Should().Be("70B3D57ED0001234");
        body.Text("kekLabel").Should().Be("ns-kek-1");
        var token = body.Text("token")!;
        token.Should().StartWith(SecretToken.PeerTokenPrefix);
        body.ToString().Should().NotContain(kekHex).And.NotContain(kekHex.ToLowerInvariant());

        var byToken = await Server.Store.FindNetworkAsync(new PeerCredential(PeerCredentialKind.BearerToken, SecretToken.Hash(token)), Ct);
        var byCertificate = await Server.Store.FindNetworkAsync(new PeerCredential(PeerCredentialKind.ClientCertificate, SHA256.HashData(certificate.RawData)), Ct);
        byToken.Should().NotBeNull();
        byCertificate.Should().NotBeNull();
        byToken!.NetId.Should().Be(NetId.Parse("00003A"));
        var kek = Server.Services.GetRequiredService<KeyRing>().OpenPeerKek(byToken.Kek!, SecretBinding.Network(byToken.NetId, byToken.NsId));
        kek.Label.Should().Be("ns-kek-1");
        var exported = new byte[kek.KeySize];
        kek.ExportSecret(exported);
        Convert.ToHexString(exported).Should().Be(kekHex);
    }

    [Fact]
    public async Task A_network_is_unique_per_NetID_and_NSID()
    {
        (await Server.Admin.PostAsync("/api/v1/networks", new { netId = "00003B" })).Status.Should().Be(HttpStatusCode.Created);
        (await Server.Admin.PostAsync("/api/v1/networks", new { netId = "00003B", nsId = "0000000000000001" })).Status.Should().Be(HttpStatusCode.Created);

        var (status, problem) = await Server.Admin.PostAsync("/api/v1/networks", new { netId = "00003B" });

        status.Should().Be(HttpStatusCode.Conflict);
        problem.ShouldBeProblem(HttpStatusCode.Conflict, "network_exists");
        (await Server.Store.GetNetworkAsync(NetId.Parse("00003B"), null, Ct))!.CertificateThumbprint.Should().BeNull("no certificate was given");
    }

    [Theory]
    [InlineData("{\"netId\":\"00003\"}", "netId:")]
    [InlineData("{}", "netId:")]
    [InlineData("{\"netId\":\"00003C\",\"nsId\":\"xyz\"}", "nsId:")]
    [InlineData("{\"netId\":\"00003C\",\"kek\":{\"label\":\"k\",\"key\":\"0011\"}}", "kek.key:")]
    [InlineData("{\"netId\":\"00003C\",\"kek\":{\"label\":\"\",\"key\":\"00112233445566778899AABBCCDDEEFF\"}}", "kek.label:")]
    [InlineData("{\"netId\":\"00003C\",\"clientCertificate\":\"not a pem\"}", "clientCertificate:")]
    [InlineData("{\"netId\":\"00003C\",\"clientCertificate\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}", "clientCertificate:")]
    public async Task Network_validation_names_the_field(string json, string field)
    {
        var (status, problem) = await Server.Admin.PostRawAsync("/api/v1/networks", json);

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_field");
        problem.Detail().Should().StartWith(field);
    }

    [Fact]
    public async Task Application_servers_get_a_token_and_are_unique()
    {
        var (status, body) = await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as.example.com", kek = new { label = "as-kek", key = "000102030405060708090A0B0C0D0E0F" } });

        status.Should().Be(HttpStatusCode.Created);
        body.Text("asId").Should().Be("as.example.com");
        body.Text("kekLabel").Should().Be("as-kek");
        var token = body.Text("token")!;
        (await Server.Store.FindApplicationServerAsync(new PeerCredential(PeerCredentialKind.BearerToken, SecretToken.Hash(token)), Ct))!.AsId.Should().Be("as.example.com");

        var (again, problem) = await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = "as.example.com" });
        again.Should().Be(HttpStatusCode.Conflict);
        problem.ShouldBeProblem(HttpStatusCode.Conflict, "application_server_exists");

        var (bad, badProblem) = await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = "has space" });
        bad.Should().Be(HttpStatusCode.BadRequest);
        badProblem.Detail().Should().StartWith("asId:");
    }

    [Fact]
    public async Task A_malformed_body_is_a_400_that_points_at_the_place()
    {
        var (status, problem) = await Server.Admin.PostRawAsync("/api/v1/tenants", "{\"id\": \"x\", \"name\": 12}");

        status.Should().Be(HttpStatusCode.BadRequest);
        problem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request");
        problem.Detail().Should().Contain("$.name");

        var (broken, brokenProblem) = await Server.Admin.PostRawAsync("/api/v1/tenants", "{\"id\": ");
        broken.Should().Be(HttpStatusCode.BadRequest);
        brokenProblem.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid_request");
    }
}

using System.Net;
using System.Net.Sockets;
using Custodian.Core.Tenancy;

namespace Custodian.Server.Tests.Credentials;

/// <summary>Custodian:AdminKey across restarts on one data directory: a new key retires the earlier ones; a revoked one stays revoked.</summary>
public sealed class AdminKeyRotationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_configured_key_retires_the_generated_and_earlier_configured_keys()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-adminkey-").FullName;
        try
        {
            string generated;
            await using (var first = await TestServer.StartAsync(dataDirectory: directory))
            {
                generated = first.AdminKey;
            }
            var a = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            var b = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            await using (var withA = await TestServer.StartAsync(Configured(a), dataDirectory: directory))
            {
                (await StatusAsync(withA, a)).Should().Be(HttpStatusCode.OK);
                (await StatusAsync(withA, generated)).Should().Be(HttpStatusCode.Unauthorized, "the generated key is retired");
                File.Exists(Path.Combine(directory, "admin-key.txt")).Should().BeFalse("the file held the retired key");
                withA.Logs.Lines.Should().Contain(l => l.Contains("retired: Custodian:AdminKey names a new key", StringComparison.Ordinal));
            }
            await using var withB = await TestServer.StartAsync(Configured(b), dataDirectory: directory);

            (await StatusAsync(withB, b)).Should().Be(HttpStatusCode.OK);
            (await StatusAsync(withB, a)).Should().Be(HttpStatusCode.Unauthorized, "the earlier configured key is retired");
            (await StatusAsync(withB, generated)).Should().Be(HttpStatusCode.Unauthorized);
            var keys = await withB.Store.ListApiKeysAsync(Tenant.OperatorId, Ct);
            keys.Should().ContainSingle().Which.Name.Should().Be("admin (Custodian:AdminKey)");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_revoked_configured_key_stays_revoked_until_the_configuration_names_a_new_one()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-adminkey-").FullName;
        try
        {
            var a = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            string other;
            await using (var withA = await TestServer.StartAsync(Configured(a), dataDirectory: directory))
            {
                other = await withA.ApiKeyAsync(Tenant.OperatorId, "admin");
                var configuredId = (await withA.Store.FindApiKeyAsync(SecretToken.Hash(a), Ct))!.Id;
                using var revoked = await withA.Client(other).DeleteAsync($"/api/v1/tenants/{Tenant.OperatorId}/api-keys/{configuredId}", Ct);
                revoked.StatusCode.Should().Be(HttpStatusCode.NoContent);
            }
            await using (var again = await TestServer.StartAsync(Configured(a), dataDirectory: directory))
            {
                (await StatusAsync(again, a)).Should().Be(HttpStatusCode.Unauthorized, "a revoked configured key does not come back");
                (await StatusAsync(again, other)).Should().Be(HttpStatusCode.OK, "a key an admin created is never retired");
                again.Logs.Lines.Should().Contain(l => l.Contains("was revoked and stays revoked", StringComparison.Ordinal));
            }
            var c = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            await using var withC = await TestServer.StartAsync(Configured(c), dataDirectory: directory);
            (await StatusAsync(withC, c)).Should().Be(HttpStatusCode.OK);
            (await StatusAsync(withC, other)).Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_process_that_cannot_bind_its_address_stores_no_admin_key()
    {
        var directory = Directory.CreateTempSubdirectory("custodian-adminkey-").FullName;
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        try
        {
            var a = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            var configuration = Configured(a);
            configuration["urls"] = $"http://127.0.0.1:{((IPEndPoint)busy.LocalEndpoint).Port}";
            await using (var failing = new TestServer(directory))
            {
                await using var app = failing.Build(configuration);
                await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<Exception>("the port is taken");
            }
            var b = SecretToken.Generate(SecretToken.ApiKeyPrefix);
            await using var started = await TestServer.StartAsync(Configured(b), dataDirectory: directory);

            (await StatusAsync(started, a)).Should().Be(HttpStatusCode.Unauthorized);
            (await started.Store.FindApiKeyAsync(SecretToken.Hash(a), Ct)).Should().BeNull("the failed start stored nothing");
        }
        finally
        {
            busy.Stop();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Dictionary<string, string?> Configured(string key) => new() { ["Custodian:AdminKey"] = key };

    private static async Task<HttpStatusCode> StatusAsync(TestServer server, string key)
    {
        using var response = await server.Client(key).GetAsync("/api/v1/tenants", Ct);
        return response.StatusCode;
    }
}

using System.Net;
using Custodian.Core.Tenancy;

namespace Custodian.Server.Tests;

public sealed class BootstrapTests
{
    [Fact]
    public async Task First_start_writes_a_working_admin_key_and_a_restart_keeps_it()
    {
        var printed = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(printed));
        TestServer first;
        try
        {
            first = await TestServer.StartAsync();
        }
        finally
        {
            Console.SetOut(original);
        }
        await using var firstServer = first;
        printed.ToString().Split(first.AdminKey).Length.Should().Be(2, "the key is printed exactly once");
        var keyFile = Path.Combine(first.DataDirectory, "admin-key.txt");
        var key = first.AdminKey;
        key.Should().StartWith(SecretToken.ApiKeyPrefix);
        (await first.Admin.PostAsync("/api/v1/tenants", new { id = "acme", name = "Acme" })).Status.Should().Be(HttpStatusCode.Created);
        first.Logs.All.Should().NotContain(key);
        await first.StopAsync();

        await using var second = await TestServer.StartAsync(dataDirectory: first.DataDirectory);
        second.AdminKey.Should().Be(key, "the restart finds the admin key and neither creates nor rewrites one");
        (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim().Should().Be(key);
        (await second.Admin.PostAsync("/api/v1/tenants", new { id = "beta", name = "Beta" })).Status.Should().Be(HttpStatusCode.Created);
        second.Logs.Lines.Should().NotContain(line => line.Contains("[1020]"), "no second admin key is generated");
    }

    [Fact]
    public async Task Configured_admin_key_is_honoured_and_no_key_file_is_written()
    {
        var configured = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:AdminKey"] = configured });

        File.Exists(Path.Combine(server.DataDirectory, "admin-key.txt")).Should().BeFalse();
        (await server.Admin.PostAsync("/api/v1/tenants", new { id = "acme", name = "Acme" })).Status.Should().Be(HttpStatusCode.Created);
        (await server.Client(SecretToken.Generate(SecretToken.ApiKeyPrefix)).PostAsync("/api/v1/tenants", new { id = "other", name = "Other" }))
            .Status.Should().Be(HttpStatusCode.Unauthorized);
        server.Logs.All.Should().NotContain(configured);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Custodian.Server.Tests;

/// <summary><c>GET /api/v1/me</c> (any key) and <c>GET /console/first-run</c> (no key): who is signed in, and where a first start put the admin key.</summary>
public sealed class MeApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Me_names_the_tenant_the_key_and_its_rights_for_any_key()
    {
        await using var server = await TestServer.StartAsync();
        using (var tenant = await server.Admin.PostAsJsonAsync("/api/v1/tenants", new { id = "farm", name = "Green Farm" }, Ct))
        {
            tenant.EnsureSuccessStatusCode();
        }
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/tenants/farm/api-keys", new { name = "phone", rights = new[] { "devices:read" } }, Ct);
        var key = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var me = await server.Client(key.GetProperty("key").GetString()).GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);
        var admin = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/me", Ct);

        me.GetProperty("tenant").GetProperty("id").GetString().Should().Be("farm");
        me.GetProperty("tenant").GetProperty("name").GetString().Should().Be("Green Farm");
        me.GetProperty("apiKey").GetProperty("id").GetString().Should().Be(key.GetProperty("id").GetString());
        me.GetProperty("apiKey").GetProperty("name").GetString().Should().Be("phone");
        me.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).Should().Equal("devices:read");
        me.ToString().Should().NotContain(key.GetProperty("key").GetString());
        admin.GetProperty("tenant").GetProperty("id").GetString().Should().Be("operator");
        admin.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).Should().Contain("admin");
    }

    [Fact]
    public async Task Me_without_a_key_is_401()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client().GetAsync(new Uri("/api/v1/me", UriKind.Relative), Ct);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task First_run_says_where_the_generated_admin_key_is_never_the_key_and_nothing_once_it_is_moved()
    {
        await using var server = await TestServer.StartAsync();
        var file = Path.GetFullPath(Path.Combine(server.DataDirectory, "admin-key.txt"));

        var body = await server.Client().GetStringAsync(new Uri("/console/first-run", UriKind.Relative), Ct);
        File.Move(file, file + ".kept-elsewhere");
        var after = await server.Client().GetFromJsonAsync<JsonElement>("/console/first-run", Ct);

        JsonDocument.Parse(body).RootElement.GetProperty("adminKeyFile").GetString().Should().Be(file);
        body.Should().NotContain(server.AdminKey);
        after.TryGetProperty("adminKeyFile", out _).Should().BeFalse();
    }

    [Fact]
    public async Task First_run_says_nothing_when_the_admin_key_is_configured()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:AdminKey"] = "configured-admin-key-0123456789abcdef" });

        var answer = await server.Client().GetFromJsonAsync<JsonElement>("/console/first-run", Ct);

        answer.TryGetProperty("adminKeyFile", out _).Should().BeFalse();
    }
}

namespace Custodian.Server.Tests.Claims;

/// <summary>
/// The real server (SQLite) for the claim API tests, with two registered networks and an application server.
/// Tenants are created per test with unique names.
/// </summary>
public class ClaimsServer : IAsyncLifetime
{
    public const string NetA = "0000C1";
    public const string NetB = "0000C2";
    public const string AsId = "claims-as";
    private static int _tenants;

    public TestServer Server { get; private set; } = null!;

    /// <summary>Configuration of this server (<c>Custodian:…</c> keys); none by default.</summary>
    protected virtual IDictionary<string, string?> Configuration => new Dictionary<string, string?>();

    public async ValueTask InitializeAsync()
    {
        Server = await TestServer.StartAsync(Configuration);
        await Server.NetworkAsync(NetA);
        await Server.NetworkAsync(NetB);
        var (status, body) = await Server.Admin.PostAsync("/api/v1/application-servers", new { asId = AsId });
        status.Should().Be(System.Net.HttpStatusCode.Created, body.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>A new tenant with a key of <paramref name="rights"/>; returns its id and client.</summary>
    public async Task<(string TenantId, HttpClient Client)> TenantAsync(string name, params string[] rights)
    {
        var id = $"{name}-{Interlocked.Increment(ref _tenants)}";
        return (id, await Server.TenantAsync(id, rights));
    }

    public async Task<HttpClient> MakerAsync() => (await TenantAsync("maker", ClaimsWorld.MakerRights)).Client;

    public async Task<HttpClient> OwnerAsync() => (await TenantAsync("owner", ClaimsWorld.OwnerRights)).Client;
}

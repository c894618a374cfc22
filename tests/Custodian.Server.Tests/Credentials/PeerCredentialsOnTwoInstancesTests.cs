using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Core.Tenancy;
using Custodian.Server.BackendInterfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Server.Tests.Credentials;

/// <summary>
/// Two instances on one PostgreSQL: a token rotated or a peer removed through the first is refused by the second once
/// its memory of the peer runs out (<see cref="PeerAuthenticator.CacheFor"/>). The second runs on a fake clock, so
/// "once its memory runs out" is a step of the test, not a wait.
/// </summary>
public sealed class PeerCredentialsOnTwoInstancesTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _secondClock = new(DateTimeOffset.UtcNow);
    private PostgresTestDatabase _database = null!;
    private TestServer _first = null!;
    private TestServer _second = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await PostgresTestDatabase.CreateAsync();
        var configuration = new Dictionary<string, string?>
        {
            ["Custodian:AdminKey"] = SecretToken.Generate(SecretToken.ApiKeyPrefix),
            ["Custodian:Kek"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
            ["Custodian:KekLabel"] = "shared",
            ["Custodian:Postgres"] = _database.ConnectionString,
        };
        _first = await TestServer.StartAsync(configuration);
        _second = await TestServer.StartAsync(configuration, services => services.AddSingleton<TimeProvider>(_secondClock));
    }

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_rotated_network_token_is_refused_by_the_other_instance_within_the_cache_time()
    {
        var old = await _first.NetworkAsync("0000C1");
        (await PeerProbe.NetworkAsync(_second.Client(), old, "0000C1")).Should().Be(PeerProbe.Accepted, "the second instance now remembers the peer");

        using var rotated = await _first.Admin.PostAsync("/api/v1/networks/0000C1/token", null, Ct);
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        var fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;

        (await PeerProbe.NetworkAsync(_first.Client(), old, "0000C1")).Should().Be(PeerProbe.Refused, "the instance that rotated forgets at once");
        (await PeerProbe.NetworkAsync(_second.Client(), fresh, "0000C1")).Should().Be(PeerProbe.Accepted, "a new token is looked up at once everywhere");
        (await PeerProbe.NetworkAsync(_second.Client(), old, "0000C1")).Should().Be(PeerProbe.Accepted, "until its memory of the peer runs out");
        _secondClock.Advance(PeerAuthenticator.CacheFor);
        (await PeerProbe.NetworkAsync(_second.Client(), old, "0000C1")).Should().Be(PeerProbe.Refused);
        PeerAuthenticator.CacheFor.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "the other instances must refuse within seconds");
    }

    [Fact]
    public async Task A_removed_application_server_is_refused_by_the_other_instance_within_the_cache_time()
    {
        using (var created = await _first.Admin.PostAsJsonAsync("/api/v1/application-servers", new { asId = "as-two" }, Ct))
        {
            var token = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;
            (await PeerProbe.ApplicationServerAsync(_second.Client(), token, "as-two")).Should().Be(PeerProbe.Accepted);

            using var removed = await _first.Admin.DeleteAsync("/api/v1/application-servers/as-two", Ct);
            removed.StatusCode.Should().Be(HttpStatusCode.NoContent);

            _secondClock.Advance(PeerAuthenticator.CacheFor);
            (await PeerProbe.ApplicationServerAsync(_second.Client(), token, "as-two")).Should().Be(PeerProbe.Refused);
        }
    }
}

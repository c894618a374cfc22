using Custodian.Core.Claims;
using Custodian.Core.Claims.Policy;
using Custodian.Core.Claims.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Tests.Routing;

/// <summary>Custodian:Claims:JoinServers and Routes are checked when the server starts, with messages naming the key.</summary>
public sealed class ClaimRoutingOptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<Dictionary<string, string?>, string> Invalid => new()
    {
        { Route("70B3D5", "a", "70B3D50000000000/24", "a"), "Custodian:Claims:Routes:1:Prefix: 70B3D50000000000/24 is also the prefix of Routes:0" },
        { Route("70B3D5", "nobody"), "Custodian:Claims:Routes:0:JoinServer: 'nobody' is neither 'local' nor a Join Server under JoinServers (configured: a)" },
        { Route("70B3D5ZZ", "a"), "Custodian:Claims:Routes:0:Prefix: '70B3D5ZZ' is not a JoinEUI prefix" },
        { Route("70B3D57ED0000000/65", "a"), "Custodian:Claims:Routes:0:Prefix: '70B3D57ED0000000/65' is not a JoinEUI prefix" },
        { Route("70B3D57ED0000001/40", "a"), "has bits set beyond its length" },
        { Route("", "a"), "Custodian:Claims:Routes:0:Prefix: is required" },
        { Route("70B3D5", ""), "Custodian:Claims:Routes:0:JoinServer: is required" },
        { Server("a", ("Url", "ftp://js.example")), "Custodian:Claims:JoinServers:a:Url: 'ftp://js.example' is not an http:// or https:// address" },
        { Server("a", ("Url", "not a url")), "Custodian:Claims:JoinServers:a:Url: 'not a url' is not an http:// or https:// address" },
        { Server("a", ("Url", null)), "Custodian:Claims:JoinServers:a:Url: is required" },
        { Server("a", ("Url", "https://user:pw@js.example")), "Custodian:Claims:JoinServers:a:Url: holds credentials" },
        { Server("a", ("Token", null)), "Custodian:Claims:JoinServers:a: has no credentials" },
        { Server("a", ("CertificateFile", "/nonexistent/cert.pem")), "Custodian:Claims:JoinServers:a:CertificateFile: '/nonexistent/cert.pem' does not exist" },
        { Server("a", ("Url", "http://js.example"), ("CertificateFile", "/nonexistent/cert.pem")), "Custodian:Claims:JoinServers:a:CertificateFile: is set but Url is not https://" },
        { Server("a", ("CaFile", "/nonexistent/ca.pem")), "Custodian:Claims:JoinServers:a:CaFile: '/nonexistent/ca.pem' does not exist" },
        { Server("a", ("KeyFile", "/nonexistent/key.pem")), "Custodian:Claims:JoinServers:a:KeyFile: is set without CertificateFile" },
        { Server("a", ("Timeout", "00:00:00")), "Custodian:Claims:JoinServers:a:Timeout: must be positive" },
        { Server("local", []), "Custodian:Claims:JoinServers:local: 'local' names this server in routes" },
        { Server("bad name!", []), "Custodian:Claims:JoinServers:bad name!: a Join Server's name is 1 to 64 characters" },
        { Server("a", ("Url", "http://js.example")), "Custodian:Claims:JoinServers:a:Url: is http:// to a host that is not loopback: the Token and claim codes would travel in clear" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task A_bad_route_or_Join_Server_stops_the_start_with_a_precise_message(Dictionary<string, string?> configuration, string expected)
    {
        await using var server = new TestServer();
        await using var app = server.Build(configuration);

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain(expected);
        failure.Which.Message.Should().NotContain("cust_secret-token", "a token is a secret");
    }

    [Fact]
    public async Task Valid_routes_build_the_table_and_the_routed_claim_service()
    {
        var configuration = Route("70B3D57ED0000000/36", "A", "70B3D57ED0000000/40", "local");
        await using var server = await TestServer.StartAsync(configuration);

        var table = server.Services.GetRequiredService<ClaimRouteTable>();
        var claims = server.Services.GetRequiredService<IClaimService>();

        claims.Should().BeOfType<ClaimPolicy>("every claim goes through the one policy, around the routed service");
        table.Routes.Should().Equal(
            new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000000/36"), "a"),
            new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000000/40"), "local"));
        claims.Describe(JoinEui.Parse("70B3D57ED1000000")).JoinServer.Should().Be("a", "the route names the Join Server as configured, whatever its case");
        claims.Describe(JoinEui.Parse("70B3D57ED0000001")).JoinServer.Should().Be("local");
        server.Logs.Lines.Should().Contain(l => l.Contains("Claim routing: 2 route(s); Join Servers a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_over_http_to_another_host_starts_only_with_AllowInsecureHttp()
    {
        await using var server = await TestServer.StartAsync(Server("a", ("Url", "http://js.example"), ("AllowInsecureHttp", "true")));

        server.Services.GetRequiredService<IOptions<Configuration.CustodianOptions>>().Value.Claims.JoinServers["a"].AllowInsecureHttp.Should().BeTrue();
    }

    private static Dictionary<string, string?> Route(params string[] prefixAndServer)
    {
        var configuration = Server("a", []);
        for (var i = 0; i < prefixAndServer.Length / 2; i++)
        {
            configuration[$"Custodian:Claims:Routes:{i}:Prefix"] = prefixAndServer[2 * i];
            configuration[$"Custodian:Claims:Routes:{i}:JoinServer"] = prefixAndServer[(2 * i) + 1];
        }
        return configuration;
    }

    private static Dictionary<string, string?> Server(string name, params (string Key, string? Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"Custodian:Claims:JoinServers:{name}:Url"] = "http://127.0.0.1:9",
            [$"Custodian:Claims:JoinServers:{name}:Token"] = "cust_secret-token",
        };
        foreach (var (key, value) in settings)
        {
            // Null: the setting is left out.
            if (value is null)
            {
                configuration.Remove($"Custodian:Claims:JoinServers:{name}:{key}");
            }
            else
            {
                configuration[$"Custodian:Claims:JoinServers:{name}:{key}"] = value;
            }
        }
        return configuration;
    }
}

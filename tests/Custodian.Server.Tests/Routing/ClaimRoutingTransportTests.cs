using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Custodian.Server.Tests.Routing;

/// <summary>
/// How we talk to a remote Join Server: a redirect is not followed (it would resend the claim code elsewhere), and
/// an oversized answer is refused. The remotes are small real HTTP servers on loopback.
/// </summary>
public sealed class ClaimRoutingTransportTests
{
    private const string Token = "cust_transport-token-never-shown";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_claim_is_503()
    {
        var hits = 0;
        await using var target = await RemoteAsync(context =>
        {
            Interlocked.Increment(ref hits);
            context.Response.StatusCode = StatusCodes.Status201Created;
            return Task.CompletedTask;
        });
        await using var redirecting = await RemoteAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers.Location = new Uri(target.Address, context.Request.Path.Value).ToString();
            return Task.CompletedTask;
        });
        await using var router = await RouterAsync(redirecting.Address);

        var (status, problem) = await ClaimAsync(router);

        status.Should().Be(HttpStatusCode.ServiceUnavailable, problem.ToString());
        problem.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "join_server_unavailable");
        problem.Detail().Should().Contain("answered with a redirect (HTTP 307), which is not followed");
        hits.Should().Be(0, "the claim code must not reach an address nobody configured");
    }

    [Fact]
    public async Task An_answer_over_64_KB_is_refused_as_unavailable()
    {
        await using var remote = await RemoteAsync(async context =>
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("\"" + new string('x', 200 * 1024) + "\"", Ct);
        });
        await using var router = await RouterAsync(remote.Address);

        var (status, problem) = await ClaimAsync(router);

        status.Should().Be(HttpStatusCode.ServiceUnavailable, problem.ToString());
        problem.Detail().Should().Contain("answered more than 64 KB");
    }

    private static async Task<TestServer> RouterAsync(Uri remote) => await TestServer.StartAsync(new Dictionary<string, string?>
    {
        ["Custodian:Claims:JoinServers:a:Url"] = remote.ToString(),
        ["Custodian:Claims:JoinServers:a:Token"] = Token,
        ["Custodian:Claims:Routes:0:Prefix"] = "70B3D57ED0000000/40",
        ["Custodian:Claims:Routes:0:JoinServer"] = "a",
    });

    private static async Task<(HttpStatusCode, System.Text.Json.JsonElement)> ClaimAsync(TestServer router)
    {
        var owner = await router.TenantAsync("owner", "devices:claim");
        return await owner.PostAsync("/api/v1/claims", new { joinEui = "70B3D57ED0000123", devEui = "00C0000000000001", claimCode = "SECRET42", homeNetId = "000013" });
    }

    private static async Task<Remote> RemoteAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Remote(app, new Uri(address));
    }

    private sealed record Remote(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}

using System.Net;
using System.Text.Json;

namespace Custodian.Server.Tests;

public sealed class HealthTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task Healthz_answers_200_with_a_json_status()
    {
        using var response = await server.Client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        body.RootElement.GetProperty("status").GetString().Should().Be("ok");
    }

    [Fact]
    public async Task Unknown_path_answers_404()
    {
        using var response = await server.Client.GetAsync(new Uri("/no-such-path", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}

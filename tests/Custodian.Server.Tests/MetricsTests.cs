using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Server.Tests;

public sealed partial class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_are_prometheus_text_and_the_device_gauge_follows_the_store_at_most_every_30_s()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var maker = await server.TenantAsync("metrics", "devices:provision");
        await server.NetworkAsync("00006F");

        var before = await ScrapeAsync(server);
        before.Should().Contain("# TYPE custodian_devices gauge");
        Gauge(before, "unclaimed").Should().Be(0);
        Gauge(before, "claimed").Should().Be(0);

        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0001", macVersion = "1.0.3" });
        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0002", macVersion = "1.0.3" });
        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0003", macVersion = "1.0.3", homeNetId = "00006F" });

        var soon = await ScrapeAsync(server);
        Gauge(soon, "unclaimed").Should().Be(0, "a scrape within 30 s of the last count shows that count: no device count per scrape");
        clock.Advance(TimeSpan.FromSeconds(30));
        var after = await ScrapeAsync(server);
        Gauge(after, "unclaimed").Should().Be(2);
        Gauge(after, "claimed").Should().Be(1);
    }

    [Fact]
    public async Task With_a_metrics_address_metrics_are_served_there_only_and_that_address_serves_nothing_else()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Custodian:Metrics:Url"] = $"http://127.0.0.1:{port}" });
        using var metricsClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var metrics = await metricsClient.GetAsync("/metrics", Ct);
        using var apiOnMetrics = await metricsClient.GetAsync("/healthz", Ct);
        using var metricsOnMain = await server.Client().GetAsync("/metrics", Ct);

        metrics.StatusCode.Should().Be(HttpStatusCode.OK);
        (await metrics.Content.ReadAsStringAsync(Ct)).Should().Contain("# TYPE custodian_devices gauge");
        apiOnMetrics.StatusCode.Should().Be(HttpStatusCode.NotFound);
        metricsOnMain.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await server.Client().GetAsync("/healthz", Ct)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1")]
    [InlineData("not an address")]
    [InlineData("http://127.0.0.1:9464/metrics")]
    public async Task A_metrics_address_without_a_port_of_its_own_stops_the_start(string url)
    {
        await using var server = new TestServer();

        var failure = ((Action)(() => server.Build(new Dictionary<string, string?> { ["Custodian:Metrics:Url"] = url }))).Should().Throw<InvalidOperationException>();

        failure.Which.Message.Should().StartWith("Custodian:Metrics:Url: ");
        await Task.CompletedTask;
    }

    private static async Task<string> ScrapeAsync(TestServer server)
    {
        using var response = await server.Client().GetAsync("/metrics", Ct);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static double Gauge(string text, string state)
    {
        var match = GaugeLine().Matches(text).SingleOrDefault(m => m.Groups["state"].Value == state);
        match.Should().NotBeNull($"the scrape should have custodian_devices{{state=\"{state}\"}}:\n{text}");
        return double.Parse(match!.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^custodian_devices\\{state=\"(?<state>[a-z]+)\"\\} (?<value>\\S+)$", RegexOptions.Multiline)]
    private static partial Regex GaugeLine();
}

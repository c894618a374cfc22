using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Custodian.Server.Tests;

public sealed partial class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_are_prometheus_text_and_the_device_gauge_follows_the_store()
    {
        await using var server = await TestServer.StartAsync();
        var maker = await server.TenantAsync("metrics", "devices:provision");
        await server.NetworkAsync("00006F");

        var before = await ScrapeAsync(server);
        before.Should().Contain("# TYPE custodian_devices gauge");
        Gauge(before, "unclaimed").Should().Be(0);
        Gauge(before, "claimed").Should().Be(0);

        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0001", macVersion = "1.0.3" });
        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0002", macVersion = "1.0.3" });
        await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000000", devEui = "00000000000F0003", macVersion = "1.0.3", homeNetId = "00006F" });

        var after = await ScrapeAsync(server);
        Gauge(after, "unclaimed").Should().Be(2);
        Gauge(after, "claimed").Should().Be(1);
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

using System.Net;
using Custodian.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Server.Tests.Maintenance;

/// <summary>
/// <c>Custodian:Retention</c>: the server prunes audit events older than <c>Events</c> every <c>CheckEvery</c>
/// (on the server's clock, here a fake one), and refuses settings out of range.
/// </summary>
public sealed class RetentionServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_server_prunes_old_events_at_each_check_and_keeps_the_devices()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string?> { ["Custodian:Retention:Events"] = "2.00:00:00", ["Custodian:Retention:CheckEvery"] = "01:00:00" },
            services => services.AddSingleton<TimeProvider>(time));
        var maker = await server.TenantAsync("maker", "devices:provision", "devices:read", "events:read");
        var (status, _) = await maker.PostAsync("/api/v1/devices", new { joinEui = "70B3D57ED0000042", devEui = "00D0000000000001", macVersion = "1.0.3" });
        status.Should().Be(HttpStatusCode.Created);
        var maintenance = server.Services.GetRequiredService<IStoreMaintenance>();
        while (!server.Logs.Lines.Any(line => line.Contains("[1300]")))
        {
            await Task.Delay(10, Ct); // the check at start
        }
        (await maintenance.CountRowsAsync(Ct))["events"].Should().BeGreaterThan(0);

        // One day on: a check runs, and the provisioning event (one day old) stays.
        await AdvanceAndWaitForPruneAsync(server, time, TimeSpan.FromDays(1));
        (await maintenance.CountRowsAsync(Ct))["events"].Should().BeGreaterThan(0);
        // Two more days: the next check removes it.
        await AdvanceAndWaitForPruneAsync(server, time, TimeSpan.FromDays(2));

        (await maintenance.CountRowsAsync(Ct))["events"].Should().Be(0);
        (await maker.GetJsonAsync("/api/v1/devices/00D0000000000001")).Status.Should().Be(HttpStatusCode.OK);
        server.Services.GetRequiredService<IOptions<Configuration.CustodianOptions>>().Value.Retention.CheckEvery.Should().Be(TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData("Custodian:Retention:Events", "00:10:00")]
    [InlineData("Custodian:Retention:CheckEvery", "00:00:00")]
    public async Task Retention_settings_out_of_range_stop_the_start(string key, string value)
    {
        var server = new TestServer();
        await using var app = server.Build(new Dictionary<string, string?> { [key] = value });

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain(key);
    }

    [Fact]
    public void The_defaults_keep_events_a_year_and_check_every_hour()
    {
        var options = new Configuration.CustodianOptions();

        options.Retention.Events.Should().Be(TimeSpan.FromDays(365));
        options.Retention.CheckEvery.Should().Be(TimeSpan.FromHours(1));
    }

    /// <summary>
    /// Advances the fake clock and waits (on the test's cancellation only) for the next prune's log line. The service
    /// may not have set its next timer yet when the clock moves: then one CheckEvery more is given now and then, which the
    /// retention of days does not notice.
    /// </summary>
    private static async Task AdvanceAndWaitForPruneAsync(TestServer server, FakeTimeProvider time, TimeSpan by)
    {
        var before = server.Logs.Lines.Count(line => line.Contains("[1300]"));
        time.Advance(by);
        for (var polls = 1; server.Logs.Lines.Count(line => line.Contains("[1300]")) <= before; polls++)
        {
            await Task.Delay(10, Ct);
            if (polls % 50 == 0)
            {
                time.Advance(TimeSpan.FromHours(1)); // one CheckEvery
            }
        }
    }
}

using System.Net;
using Custodian.Server.Tests.Joins;

namespace Custodian.Server.Tests.Abuse;

/// <summary>
/// Security review finding 1 (and 14, whose timing gap came from the same write): Backend Interfaces requests
/// whose credential failed wrote attacker-sized audit events into the device's tenant's log. Now they store
/// nothing, are counted in <c>custodian_backend_interfaces_auth_failures_total{reason}</c>, and an address that
/// keeps failing is answered HTTP 429 before its body is read.
/// </summary>
public sealed class UnauthenticatedBackendInterfacesTests
{
    private const string NoCredential = "custodian_backend_interfaces_auth_failures_total{reason=\"no_credential\"}";

    /// <summary>The review's probe: 22 unauthenticated requests grew the owner's log by 22 events and the data by 1.7 MB.</summary>
    [Fact]
    public async Task The_reviews_22_unauthenticated_requests_write_no_event_and_grow_nothing()
    {
        await using var world = await AbuseWorld.StartAsync();
        var device = world.Claimed;
        var eventsBefore = (await world.EventsAsync(device.DevEui)).Count;
        var rowsBefore = await world.EventRowsAsync();
        var bytesBefore = await world.DatabaseBytesAsync();
        var statuses = new List<HttpStatusCode>();
        var results = new List<string>();

        for (var i = 0; i < 20; i++)
        {
            var (status, _) = await world.SendAsync(null, AbuseWorld.JoinReq(device, (ushort)(100 + i), new string('S', 60_000)));
            statuses.Add(status);
        }
        foreach (var request in new[] { AbuseWorld.JoinReq(device, 200, AbuseWorld.HomeNetId), AbuseWorld.RejoinReq(device, AbuseWorld.HomeNetId) })
        {
            var (status, body) = await world.SendAsync(null, request);
            status.Should().Be(HttpStatusCode.OK);
            results.Add(body.ResultCode());
        }

        statuses.Should().AllBeEquivalentTo(HttpStatusCode.BadRequest, "a SenderID over 255 characters is not read at all");
        results.Should().AllBeEquivalentTo("UnknownSender");
        (await world.EventsAsync(device.DevEui)).Should().HaveCount(eventsBefore, "the owner's log is not anyone's to write");
        (await world.EventRowsAsync()).Should().Be(rowsBefore);
        (await world.DatabaseBytesAsync()).Should().Be(bytesBefore);
        (await world.CounterAsync(NoCredential)).Should().Be(2);
    }

    [Fact]
    public async Task A_credential_that_is_not_the_SenderIDs_or_the_NSIDs_stores_nothing()
    {
        await using var world = await AbuseWorld.StartAsync();
        var nsToken = await world.Server.NetworkAsync(AbuseWorld.HomeNetId, "00000000000000AA");
        var device = world.Claimed;
        var rowsBefore = await world.EventRowsAsync();
        var spoofedNs = AbuseWorld.JoinReq(device, 2, AbuseWorld.HomeNetId);
        spoofedNs["SenderNSID"] = "00000000000000BB";

        var (_, spoofed) = await world.SendAsync(world.ForeignToken, AbuseWorld.JoinReq(device, 1, AbuseWorld.HomeNetId));
        var (_, wrongNs) = await world.SendAsync(nsToken, spoofedNs);
        var (_, unknownToken) = await world.SendAsync("cbi_not-a-registered-token", AbuseWorld.RejoinReq(device, AbuseWorld.HomeNetId));

        new[] { spoofed, wrongNs, unknownToken }.Select(a => a.ResultCode()).Should().AllBeEquivalentTo("UnknownSender");
        (await world.EventRowsAsync()).Should().Be(rowsBefore);
        (await world.CounterAsync("custodian_backend_interfaces_auth_failures_total{reason=\"sender_id_mismatch\"}")).Should().Be(1);
        (await world.CounterAsync("custodian_backend_interfaces_auth_failures_total{reason=\"sender_nsid_mismatch\"}")).Should().Be(1);
        (await world.CounterAsync(NoCredential)).Should().Be(1);
        (await world.CounterAsync("custodian_joins_total{result=\"UnknownSender\",cause=\"sender_id_mismatch\"}")).Should().Be(1);
    }

    [Fact]
    public async Task An_address_that_keeps_failing_is_answered_429_without_its_body_being_read()
    {
        await using var world = await AbuseWorld.StartAsync(new Dictionary<string, string?>
        {
            ["Custodian:BackendInterfaces:AuthFailuresPerAddress"] = "3",
            ["Custodian:BackendInterfaces:AuthFailureWindow"] = "01:00:00",
        });
        var device = world.Claimed;

        var home = await world.SendAsync(world.HomeToken, AbuseWorld.JoinReq(device, 1, AbuseWorld.HomeNetId));
        var failures = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            failures.Add((await world.SendAsync(null, AbuseWorld.JoinReq(device, (ushort)(10 + i), AbuseWorld.HomeNetId))).Body.ResultCode());
        }
        using var blocked = await Post(world, "{\"not\":\"even a Backend Interfaces message\"");

        home.Body.ResultCode().Should().Be("Success", "a registered network never fails authentication, so it is never counted");
        failures.Should().AllBeEquivalentTo("UnknownSender");
        blocked.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "an unreadable body would be HTTP 400 had it been read");
        blocked.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromHours(1));
        (await world.CounterAsync("custodian_backend_interfaces_auth_failures_total{reason=\"address_blocked\"}")).Should().Be(1);
        (await world.CounterAsync(NoCredential)).Should().Be(3);
    }

    private static async Task<HttpResponseMessage> Post(AbuseWorld world, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return await world.Anonymous.PostAsync(new Uri("/backend-interfaces", UriKind.Relative), content, TestContext.Current.CancellationToken);
    }
}

using System.Security.Cryptography;

namespace Custodian.Server.Tests.Durability;

/// <summary>
/// issue 2/5, "Faults": a server killed with SIGKILL under join load loses no answered join. The real server runs as a
/// child process on SQLite with the default durability (Process); joins go in on several connections; once enough have
/// been answered the process is killed while requests are in flight; restarted on the same data directory, it must
/// refuse the replay of each device's highest answered DevNonce and answer a fresh join with a higher JoinNonce than
/// every one it had answered; and every provisioned device must still be there.
/// </summary>
public sealed class CrashDurabilityTests : IAsyncLifetime
{
    private const int DeviceCount = 32;
    private const int Connections = 8;
    private const int AnsweredBeforeKill = 400;
    private static readonly NetId Network = NetId.Parse("000013");
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED000C0DE");

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("custodian-crash-").FullName;
    private readonly string _adminKey = "cust_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Every_join_answered_before_a_SIGKILL_is_durable_after_the_restart()
    {
        var cancel = TestContext.Current.CancellationToken;
        string token;
        List<DeviceLedger> ledgers;
        int inFlightAtKill;
        await using (var server = await ServerProcess.StartAsync(_dataDirectory, _adminKey, cancel))
        {
            using var http = server.CreateClient(Connections);
            (token, var devices) = await RestSetup.ProvisionAsync(http, _adminKey, Network, JoinEui, DeviceCount, cancel);
            ledgers = [.. devices.Select(d => new DeviceLedger(d))];
            var load = new JoinLoad(new NetworkServerClient(http, Network, JoinEui, token), ledgers, Connections, AnsweredBeforeKill);

            var firing = load.RunUntilTheServerDiesAsync(cancel);
            inFlightAtKill = await load.WaitForAnswersThenInFlightAsync(cancel);
            await server.KillAsync();
            await firing;

            load.Refusals.Should().BeEmpty("every JoinReq sent before the kill was valid and fresh");
        }

        var answered = ledgers.Where(l => l.Answered > 0).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Killed with {inFlightAtKill} join(s) in flight after {answered.Sum(l => l.Answered)} answered on {answered.Count} devices.");
        answered.Sum(l => l.Answered).Should().BeGreaterThanOrEqualTo(AnsweredBeforeKill);
        inFlightAtKill.Should().BePositive("the kill must land while joins are in flight");

        await using var restarted = await ServerProcess.StartAsync(_dataDirectory, _adminKey, cancel);
        using var client = restarted.CreateClient(Connections);
        var ns = new NetworkServerClient(client, Network, JoinEui, token);
        var lost = new List<string>();
        foreach (var ledger in ledgers)
        {
            lost.AddRange(await VerifyAsync(ns, ledger, cancel));
        }
        lost.Should().BeEmpty(
            $"{answered.Sum(l => l.Answered)} joins on {answered.Count} devices were answered before the kill, and {lost.Count} checks failed:{Environment.NewLine}"
            + $"{string.Join(Environment.NewLine, lost.Take(10))}{Environment.NewLine}server log:{Environment.NewLine}{restarted.RecentLog()}");
    }

    /// <summary>What the restarted server must show of one device; each string is one loss.</summary>
    private static async Task<List<string>> VerifyAsync(NetworkServerClient ns, DeviceLedger ledger, CancellationToken cancel)
    {
        var lost = new List<string>();
        var device = ledger.Device;
        if (ledger.Answered > 0)
        {
            var replay = await ns.JoinAsync(device, ledger.HighestAnsweredDevNonce, cancel);
            if (replay.Succeeded)
            {
                lost.Add($"{device.DevEui}: the replay of answered DevNonce {ledger.HighestAnsweredDevNonce} was accepted.");
            }
        }
        var fresh = await ns.JoinAsync(device, (ushort)(ledger.HighestSentDevNonce + 1), cancel);
        if (!fresh.Succeeded)
        {
            lost.Add($"{device.DevEui}: a fresh join after the restart was answered {fresh.ResultCode}.");
        }
        else if (ledger.Answered > 0 && fresh.JoinNonce <= ledger.HighestAnsweredJoinNonce)
        {
            lost.Add($"{device.DevEui}: JoinNonce {fresh.JoinNonce} after the restart, {ledger.HighestAnsweredJoinNonce} answered before.");
        }
        return lost;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

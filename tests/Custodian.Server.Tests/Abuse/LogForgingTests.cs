using Custodian.Server.Logging;

namespace Custodian.Server.Tests.Abuse;

/// <summary>
/// Security review finding 15: <c>SenderID = "evil\nwarn: Forged[9999] admin key leaked"</c> produced a console
/// log line beginning <c>warn: Forged[9999]</c>. Every text a peer chose is now escaped and cut before it is logged.
/// </summary>
public sealed class LogForgingTests
{
    private const string Forged = "evil\nwarn: Forged[9999] admin key leaked\r\u2028\u001b[31mred";

    [Fact]
    public async Task A_SenderID_with_newlines_cannot_start_a_log_line_of_its_own()
    {
        await using var world = await AbuseWorld.StartAsync();
        var malformed = AbuseWorld.JoinReq(world.Claimed, 1, Forged);
        malformed.Remove("PHYPayload");

        // Logged as a refusal (a malformed message is answered before any credential is asked for)...
        await world.SendAsync(null, malformed);
        // ...as a failed authentication (the first on this server, so the sampled line is written)...
        await world.SendAsync(null, AbuseWorld.JoinReq(world.Claimed, 2, Forged));
        // ...and as a refusal whose description quotes the SenderID.
        await world.SendAsync(world.HomeToken, AbuseWorld.JoinReq(world.Claimed, 3, Forged));

        var lines = world.Server.Logs.Lines.Where(l => l.Contains("Forged", StringComparison.Ordinal)).ToList();
        lines.Should().HaveCountGreaterThanOrEqualTo(2);
        lines.Should().Contain(l => l.Contains("[4002]", StringComparison.Ordinal), "the malformed message's refusal names its sender");
        lines.Should().Contain(l => l.Contains("[4005]", StringComparison.Ordinal), "the failed authentication names its sender");
        lines.Should().AllSatisfy(l => l.Should().NotContainAny("\n", "\r", "\u2028", "\u001b"));
        lines.Should().AllSatisfy(l => l.Should().Contain("evil\\nwarn: Forged[9999] admin key leaked\\r\\u2028\\u001B[31mred"));
    }

    [Theory]
    [InlineData("000013", "000013")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("x\u0000y\u007f\u0085", "x\\u0000y\\u007F\\u0085")]
    [InlineData("rtl\u202Eevil\u2066", "rtl\\u202Eevil\\u2066")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    public void LogText_escapes_what_could_break_or_disguise_a_line(string text, string expected) =>
        LogText.Safe(text).Should().Be(expected);

    [Fact]
    public void LogText_cuts_long_text_and_says_how_much_it_cut()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var text = new string([.. Enumerable.Range(0, 60_000).Select(_ => (char)random.Next(0x20, 0x7F))]);

        var safe = LogText.Safe(text);

        safe.Should().StartWith(text[..LogText.DefaultMaxLength], $"seed {seed}");
        safe.Should().EndWith($"…(+{60_000 - LogText.DefaultMaxLength} chars)", $"seed {seed}");
        LogText.Safe(null).Should().BeEmpty();
    }
}

using Custodian.Server.Claims;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Options;

namespace Custodian.Server.Tests.Claims;

public sealed class WrongCodeBudgetUnitTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void The_budget_refills_evenly_and_a_batch_can_overdraw_it_by_one_budget_at_most()
    {
        var budget = Budget(perPeriod: 10, period: TimeSpan.FromHours(1));

        budget.RetryAfter("key").Should().BeNull("a key that never guessed wrong may claim");
        budget.Spend("key", 9);
        budget.RetryAfter("key").Should().BeNull("one wrong code is left");
        budget.Spend("key", 1);
        budget.RetryAfter("key").Should().Be(TimeSpan.FromMinutes(6), "one wrong code comes back every 6 minutes");
        budget.RetryAfter("other").Should().BeNull("budgets are per key");

        _time.Advance(TimeSpan.FromMinutes(6));
        budget.RetryAfter("key").Should().BeNull();

        budget.Spend("key", 1000);
        budget.RetryAfter("key").Should().Be(TimeSpan.FromMinutes(66), "at most one budget below zero: 11 wrong codes to win back");
        _time.Advance(TimeSpan.FromHours(3));
        budget.Spend("key", 9);
        budget.RetryAfter("key").Should().BeNull("the budget refills to its size, never beyond");
        budget.Spend("key", 1);
        budget.RetryAfter("key").Should().NotBeNull();
    }

    [Fact]
    public void With_the_limits_off_nothing_is_refused()
    {
        var budget = Budget(perPeriod: 1, period: TimeSpan.FromHours(1), enabled: false);

        budget.Spend("key", 100);

        budget.RetryAfter("key").Should().BeNull();
    }

    [Theory]
    [InlineData(1200, 200, 20, 1000)]
    [InlineData(60, 10, 1, 1000)]
    [InlineData(90, 10, 1, 1000)]
    [InlineData(1, 3, 1, 60_000)]
    [InlineData(30, 3, 1, 2000)]
    public void Buckets_refill_at_the_configured_rate(int perMinute, int burst, int tokens, int periodMilliseconds)
    {
        var options = ClaimRequestLimiter.Bucket(burst, perMinute);

        options.TokenLimit.Should().Be(burst);
        options.TokensPerPeriod.Should().Be(tokens);
        options.ReplenishmentPeriod.Should().Be(TimeSpan.FromMilliseconds(periodMilliseconds));
        options.QueueLimit.Should().Be(0);
    }

    private WrongCodeBudget Budget(int perPeriod, TimeSpan period, bool enabled = true) =>
        new(Options.Create(new CustodianOptions
        {
            Claims = new ClaimsOptions { RateLimit = new ClaimRateLimitOptions { Enabled = enabled, WrongCodesPerApiKey = perPeriod, WrongCodePeriod = period } },
        }), _time);

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

using Custodian.Core.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Custodian.Core.Tests.Caching;

public sealed class BoundedCacheTests
{
    [Fact]
    public void A_set_value_is_read_back_and_replaced_by_a_later_set()
    {
        var cache = new BoundedCache<int, string>(4);
        cache.Set(1, "one");
        cache.TryGet(1, out var first).Should().BeTrue();
        first.Should().Be("one");

        cache.Set(1, "uno");
        cache.TryGet(1, out var second).Should().BeTrue();
        second.Should().Be("uno");
        cache.Count.Should().Be(1);
    }

    [Fact]
    public void A_zero_capacity_cache_remembers_nothing()
    {
        var cache = new BoundedCache<int, string>(0);
        cache.Set(1, "one");
        cache.TryGet(1, out _).Should().BeFalse();
        cache.Count.Should().Be(0);
    }

    [Fact]
    public void Inserting_into_a_full_cache_evicts_about_half_and_keeps_the_new_entry()
    {
        const int capacity = 100;
        var cache = new BoundedCache<int, int>(capacity);
        for (var i = 0; i < capacity; i++)
        {
            cache.Set(i, i);
        }
        cache.Count.Should().Be(capacity);

        cache.Set(capacity, capacity);

        cache.TryGet(capacity, out var added).Should().BeTrue();
        added.Should().Be(capacity);
        cache.Count.Should().Be((capacity / 2) + 1);
        var kept = Enumerable.Range(0, capacity).Count(i => cache.TryGet(i, out var v) && v == i);
        kept.Should().Be(capacity / 2, "the survivors keep their own values");
    }

    [Fact]
    public void Replacing_a_held_key_in_a_full_cache_evicts_nothing()
    {
        var cache = new BoundedCache<int, int>(3);
        cache.Set(1, 1);
        cache.Set(2, 2);
        cache.Set(3, 3);
        cache.Set(2, 20);
        cache.Count.Should().Be(3);
        cache.TryGet(1, out _).Should().BeTrue();
        cache.TryGet(3, out _).Should().BeTrue();
    }

    [Fact]
    public void Removed_and_cleared_entries_are_gone_and_free_their_slots()
    {
        var cache = new BoundedCache<int, int>(2);
        cache.Set(1, 1);
        cache.Set(2, 2);
        cache.Remove(1);
        cache.TryGet(1, out _).Should().BeFalse();
        cache.Set(3, 3);
        cache.TryGet(2, out _).Should().BeTrue("a slot was free, so nothing was evicted");

        cache.Clear();
        cache.Count.Should().Be(0);
        cache.Set(4, 4);
        cache.Set(5, 5);
        cache.Count.Should().Be(2);
    }

    [Fact]
    public void An_entry_expires_after_its_time_to_live_and_a_new_set_renews_it()
    {
        var time = new FakeTimeProvider();
        var cache = new BoundedCache<string, int>(8, TimeSpan.FromSeconds(2), time);
        cache.Set("a", 1);

        time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromTicks(1));
        cache.TryGet("a", out _).Should().BeTrue("its lifetime is not over yet");

        time.Advance(TimeSpan.FromTicks(1));
        cache.TryGet("a", out _).Should().BeFalse("two seconds have passed");
        cache.Count.Should().Be(0, "an expired entry read is dropped");

        cache.Set("a", 2);
        time.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet("a", out var renewed).Should().BeTrue();
        renewed.Should().Be(2);
    }

    [Fact]
    public void Without_a_time_to_live_entries_never_expire()
    {
        var time = new FakeTimeProvider();
        var cache = new BoundedCache<string, int>(8, timeToLive: null, time);
        cache.Set("a", 1);
        time.Advance(TimeSpan.FromDays(365));
        cache.TryGet("a", out _).Should().BeTrue();
    }

    [Fact]
    public void A_time_to_live_needs_a_clock_and_must_be_positive()
    {
        var noClock = () => new BoundedCache<int, int>(1, TimeSpan.FromSeconds(1));
        noClock.Should().Throw<ArgumentNullException>();
        var zero = () => new BoundedCache<int, int>(1, TimeSpan.Zero, new FakeTimeProvider());
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void GetOrAdd_creates_once_and_then_returns_the_held_value()
    {
        var cache = new BoundedCache<int, string>(4);
        var calls = 0;
        string Create(int key)
        {
            calls++;
            return $"v{key}";
        }
        cache.GetOrAdd(7, Create).Should().Be("v7");
        cache.GetOrAdd(7, Create).Should().Be("v7");
        calls.Should().Be(1);
    }

    [Fact]
    public async Task The_bound_holds_while_many_threads_insert_read_and_remove_at_once()
    {
        const int capacity = 64;
        var seed = Environment.TickCount;
        var cache = new BoundedCache<int, int>(capacity);
        var largest = 0;
        var writers = Enumerable.Range(0, Math.Max(4, Environment.ProcessorCount * 2)).Select(w => Task.Run(() =>
        {
            var random = new Random(seed + w);
            for (var i = 0; i < 20_000; i++)
            {
                var key = random.Next(10_000);
                switch (random.Next(10))
                {
                    case 0:
                        cache.Remove(key);
                        break;
                    case < 4:
                        if (cache.TryGet(key, out var value) && value != key * 3)
                        {
                            throw new InvalidOperationException($"key {key} held {value} (seed {seed})");
                        }
                        break;
                    default:
                        cache.Set(key, key * 3);
                        break;
                }
                if ((i & 63) == 0)
                {
                    var count = cache.Count;
                    int seen;
                    while ((seen = Volatile.Read(ref largest)) < count && Interlocked.CompareExchange(ref largest, count, seen) != seen)
                    {
                    }
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        await Task.WhenAll(writers);

        largest.Should().BeLessThanOrEqualTo(capacity, $"seed {seed}");
        cache.Count.Should().BeLessThanOrEqualTo(capacity, $"seed {seed}");
        for (var key = 0; key < 10_000; key++)
        {
            if (cache.TryGet(key, out var value))
            {
                value.Should().Be(key * 3, $"seed {seed}");
            }
        }
        // Every slot counted is a held entry: after clearing, the whole capacity is free again.
        cache.Clear();
        for (var key = 0; key < capacity; key++)
        {
            cache.Set(key, key);
        }
        cache.Count.Should().Be(capacity, $"no slot leaked (seed {seed})");
    }
}

using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Custodian.Core.Caching;

namespace Custodian.Benchmarks;

/// <summary>
/// The join path's device cache: a read hit (every join of a known device), an update of a held key (every commit
/// of one), and an insert into a full cache (a new device). <see cref="BoundedCache{TKey,TValue}"/> beside the
/// hand-made cache it replaced (a ConcurrentDictionary with a counter of its own that clears itself when full).
/// </summary>
[MemoryDiagnoser]
public class BoundedCacheBenchmarks
{
    private const int Capacity = 200_000;
    private const int Keys = 1024;
    private readonly BoundedCache<ulong, object> _bounded = new(Capacity);
    private readonly ClearWhenFull _previous = new(Capacity);
    private readonly BoundedCache<ulong, object> _boundedFull = new(Capacity);
    private readonly ClearWhenFull _previousFull = new(Capacity);
    private readonly object _value = new();
    private ulong _next = Capacity;

    [GlobalSetup]
    public void Setup()
    {
        for (ulong key = 0; key < Capacity; key++)
        {
            _bounded.Set(key, _value);
            _previous.Set(key, _value);
            _boundedFull.Set(key, _value);
            _previousFull.Set(key, _value);
        }
    }

    [Benchmark(Description = "BoundedCache: 1,024 read hits", OperationsPerInvoke = Keys)]
    public int BoundedHits()
    {
        var found = 0;
        for (ulong key = 0; key < Keys; key++)
        {
            found += _bounded.TryGet(key * 97, out _) ? 1 : 0;
        }
        return found;
    }

    [Benchmark(Description = "Clear-when-full (before): 1,024 read hits", OperationsPerInvoke = Keys, Baseline = true)]
    public int PreviousHits()
    {
        var found = 0;
        for (ulong key = 0; key < Keys; key++)
        {
            found += _previous.TryGet(key * 97, out _) ? 1 : 0;
        }
        return found;
    }

    [Benchmark(Description = "BoundedCache: 1,024 updates of held keys", OperationsPerInvoke = Keys)]
    public void BoundedUpdates()
    {
        for (ulong key = 0; key < Keys; key++)
        {
            _bounded.Set(key * 97, _value);
        }
    }

    [Benchmark(Description = "Clear-when-full (before): 1,024 updates of held keys", OperationsPerInvoke = Keys)]
    public void PreviousUpdates()
    {
        for (ulong key = 0; key < Keys; key++)
        {
            _previous.Set(key * 97, _value);
        }
    }

    [Benchmark(Description = "BoundedCache: 1,024 inserts into a full cache", OperationsPerInvoke = Keys)]
    public void BoundedInserts()
    {
        for (var i = 0; i < Keys; i++)
        {
            _boundedFull.Set(_next++, _value);
        }
    }

    [Benchmark(Description = "Clear-when-full (before): 1,024 inserts into a full cache", OperationsPerInvoke = Keys)]
    public void PreviousInserts()
    {
        for (var i = 0; i < Keys; i++)
        {
            _previousFull.Set(_next++, _value);
        }
    }

    /// <summary>The algorithm DeviceCache used before BoundedCache, kept here only as the baseline.</summary>
    private sealed class ClearWhenFull(int capacity)
    {
        private readonly ConcurrentDictionary<ulong, object> _entries = new();
        private int _count;

        public bool TryGet(ulong key, out object value) => _entries.TryGetValue(key, out value!);

        public void Set(ulong key, object value)
        {
            if (_entries.TryGetValue(key, out var previous) && _entries.TryUpdate(key, value, previous))
            {
                return;
            }
            if (Interlocked.Increment(ref _count) > capacity)
            {
                _entries.Clear();
                Interlocked.Exchange(ref _count, 0);
            }
            _entries[key] = value;
        }
    }
}

using System.Collections.Concurrent;

namespace Custodian.Core.Caching;

/// <summary>
/// A thread-safe map that never holds more than its capacity, with an optional time to live. Reads,
/// updates and inserts are O(1) and lock-free; when an insert finds the cache full, about half of the
/// entries (in hash order, so effectively at random) are dropped, which costs O(capacity) once per
/// capacity/2 inserts. Every cache of the server that only saves a store read or a computation is one of
/// these: nothing here is ever the truth, so forgetting any entry at any time is always safe.
/// </summary>
/// <remarks>
/// The size is counted with a counter of our own, raised before an insert and lowered after a removal,
/// so the dictionary never holds more than the counter says: ConcurrentDictionary.Count takes every lock
/// of the dictionary, which on a join path would serialise every writer.
/// </remarks>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly TimeProvider? _time;
    private readonly long _lifetimeTicks;
    private int _count;

    /// <param name="capacity">The most entries held; zero or less turns the cache off (it never remembers).</param>
    /// <param name="timeToLive">How long an entry is trusted; null for as long as it stays in the cache.</param>
    /// <param name="time">The clock <paramref name="timeToLive"/> is measured on; needed only with it.</param>
    /// <param name="comparer">How keys compare; the default comparer when null.</param>
    public BoundedCache(int capacity, TimeSpan? timeToLive = null, TimeProvider? time = null, IEqualityComparer<TKey>? comparer = null)
    {
        if (timeToLive is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero, nameof(timeToLive));
            ArgumentNullException.ThrowIfNull(time);
            _time = time;
            _lifetimeTicks = (long)(ttl.TotalSeconds * time.TimestampFrequency);
        }
        Capacity = Math.Max(capacity, 0);
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    public int Capacity { get; }

    /// <summary>The entries held now, expired ones included until they are read or evicted. Not for the hot path.</summary>
    public int Count => _entries.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            if (!IsExpired(entry))
            {
                value = entry.Value;
                return true;
            }
            Remove(new KeyValuePair<TKey, Entry>(key, entry));
        }
        value = default!;
        return false;
    }

    /// <summary>Remembers <paramref name="value"/> under <paramref name="key"/>, replacing any value held, for a full lifetime.</summary>
    public void Set(TKey key, TValue value)
    {
        if (Capacity == 0)
        {
            return;
        }
        var entry = new Entry(value, _time is null ? 0 : _time.GetTimestamp() + _lifetimeTicks);
        while (true)
        {
            if (_entries.TryGetValue(key, out var previous))
            {
                if (_entries.TryUpdate(key, entry, previous))
                {
                    return;
                }
                continue;
            }
            ReserveSlot();
            if (_entries.TryAdd(key, entry))
            {
                return;
            }
            // Another thread added the key first: give the slot back and replace its value.
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>The value held under <paramref name="key"/>, else <paramref name="create"/>'s, which is then remembered.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }
        value = create(key);
        Set(key, value);
        return value;
    }

    public void Remove(TKey key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public void Clear()
    {
        foreach (var pair in _entries)
        {
            Remove(pair);
        }
    }

    private bool IsExpired(Entry entry) => _time is not null && _time.GetTimestamp() >= entry.ExpiresAt;

    // Only removes the entry we saw, so a value set a moment later by another thread stays.
    private void Remove(KeyValuePair<TKey, Entry> pair)
    {
        if (_entries.TryRemove(pair))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void ReserveSlot()
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= Capacity)
            {
                EvictHalf();
                continue;
            }
            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count)
            {
                return;
            }
        }
    }

    private void EvictHalf()
    {
        var target = Capacity / 2;
        foreach (var pair in _entries)
        {
            if (Volatile.Read(ref _count) <= target)
            {
                return;
            }
            Remove(pair);
        }
    }

    // A class, so that TryUpdate and TryRemove compare by reference: the entry read, not an equal one.
    private sealed class Entry(TValue value, long expiresAt)
    {
        public TValue Value { get; } = value;

        public long ExpiresAt { get; } = expiresAt;
    }
}

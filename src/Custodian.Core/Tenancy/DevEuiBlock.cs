using System.Globalization;

namespace Custodian.Core.Tenancy;

/// <summary>
/// A block of DevEUIs a maker tenant may provision, written <c>EUI/length</c> like an IP prefix
/// (<c>0018B20000000000/40</c>: every DevEUI whose first 40 bits are those of the EUI). The bits after the
/// length must be zero, so a block has one spelling; <c>0000000000000000/0</c> holds every DevEUI.
/// </summary>
public readonly record struct DevEuiBlock
{
    public const int MaxLength = 64;

    private DevEuiBlock(ulong first, int length)
    {
        First = first;
        Length = length;
    }

    /// <summary>The lowest DevEUI of the block (its prefix with the host bits zero).</summary>
    public ulong First { get; }

    /// <summary>How many leading bits every DevEUI of the block shares with <see cref="First"/> (0 to 64).</summary>
    public int Length { get; }

    /// <summary>The highest DevEUI of the block.</summary>
    public ulong Last => First | HostMask(Length);

    public static DevEuiBlock Create(ulong first, int length) =>
        TryCreate(first, length, out var block, out var error) ? block : throw new ArgumentException(error);

    public static bool TryCreate(ulong first, int length, out DevEuiBlock block, out string? error)
    {
        block = default;
        if (length is < 0 or > MaxLength)
        {
            error = $"the length is 0 to {MaxLength} bits, not {length}";
            return false;
        }
        if ((first & HostMask(length)) != 0)
        {
            error = $"the bits after the first {length} must be zero (the block starts at {new DevEui(first & ~HostMask(length))})";
            return false;
        }
        block = new DevEuiBlock(first, length);
        error = null;
        return true;
    }

    /// <summary>Reads <c>EUI/length</c> (16 hex digits, a slash, 0 to 64).</summary>
    public static bool TryParse(string? text, out DevEuiBlock block, out string? error)
    {
        block = default;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            error = $"'{Shorten(text)}' is not a DevEUI block: write EUI/length, for example 0018B20000000000/40";
            return false;
        }
        if (!DevEui.TryParse(text.AsSpan(0, slash), out var prefix, out var euiError))
        {
            error = $"'{Shorten(text)}': {euiError}";
            return false;
        }
        var lengthText = text.AsSpan(slash + 1);
        if (lengthText.Length is 0 or > 2 || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            error = $"'{Shorten(text)}': the length after '/' is a number of bits, 0 to {MaxLength}";
            return false;
        }
        if (!TryCreate(prefix.Value, length, out block, out var blockError))
        {
            error = $"'{Shorten(text)}': {blockError}";
            return false;
        }
        error = null;
        return true;
    }

    public bool Contains(DevEui devEui) => devEui.Value >= First && devEui.Value <= Last;

    /// <summary>Prefix blocks either nest or are apart: they overlap when either holds the other's first DevEUI.</summary>
    public bool Overlaps(DevEuiBlock other) => First <= other.Last && other.First <= Last;

    public override string ToString() => $"{new DevEui(First)}/{Length.ToString(CultureInfo.InvariantCulture)}";

    private static ulong HostMask(int length) => length >= MaxLength ? 0 : ulong.MaxValue >> length;

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>
/// A tenant's DevEUI blocks, sorted and apart from each other, so that "may this maker provision this DevEUI?" is a
/// binary search. None: the tenant provisions nothing.
/// </summary>
public sealed class DevEuiBlocks
{
    /// <summary>How many blocks one tenant may hold: a maker's production runs, not one block per device.</summary>
    public const int MaxPerTenant = 1000;

    private readonly DevEuiBlock[] _blocks;

    private DevEuiBlocks(DevEuiBlock[] blocks)
    {
        _blocks = blocks;
    }

    public static DevEuiBlocks None { get; } = new([]);

    public IReadOnlyList<DevEuiBlock> Blocks => _blocks;

    /// <summary>Sorts <paramref name="blocks"/>; fails when two of them overlap (or when there are too many).</summary>
    public static bool TryCreate(IEnumerable<DevEuiBlock> blocks, out DevEuiBlocks result, out string? error)
    {
        var sorted = blocks.Distinct().OrderBy(b => b.First).ToArray();
        result = None;
        if (sorted.Length > MaxPerTenant)
        {
            error = $"at most {MaxPerTenant} blocks per tenant, got {sorted.Length}: give wider blocks";
            return false;
        }
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Overlaps(sorted[i]))
            {
                error = $"the blocks {sorted[i - 1]} and {sorted[i]} overlap: give the wider one only";
                return false;
            }
        }
        result = new DevEuiBlocks(sorted);
        error = null;
        return true;
    }

    public bool Contains(DevEui devEui)
    {
        // The last block starting at or before the DevEUI is the only one that can hold it.
        int low = 0, high = _blocks.Length - 1, candidate = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (_blocks[middle].First <= devEui.Value)
            {
                candidate = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return candidate >= 0 && _blocks[candidate].Contains(devEui);
    }
}

/// <summary>
/// What <see cref="Storage.ITenantRegistry.SetDevEuiBlocksAsync"/> did: assigned, or refused because
/// <see cref="Conflict"/> (held by <see cref="ConflictTenantId"/>) overlaps one of the blocks asked for.
/// </summary>
public sealed record DevEuiBlockAssignment(bool TenantFound, DevEuiBlock? Conflict, string? ConflictTenantId)
{
    public static DevEuiBlockAssignment Assigned { get; } = new(true, null, null);

    public static DevEuiBlockAssignment NoTenant { get; } = new(false, null, null);

    public bool Succeeded => TenantFound && Conflict is null;

    /// <summary>The first block of another tenant that overlaps one of <paramref name="asked"/>; null when none does.</summary>
    public static DevEuiBlockAssignment Decide(string tenantId, IReadOnlyList<DevEuiBlock> asked, IEnumerable<(string TenantId, DevEuiBlock Block)> held)
    {
        foreach (var (holder, block) in held)
        {
            if (holder != tenantId && asked.Any(block.Overlaps))
            {
                return new DevEuiBlockAssignment(true, block, holder);
            }
        }
        return Assigned;
    }
}

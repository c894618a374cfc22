namespace Custodian.Core.Joins;

/// <summary>Compares NSIDs as stored (text) and as sent (an EUI-64), whatever their case or <c>0x</c> prefix.</summary>
internal static class NsIds
{
    public static bool Same(string? stored, NsId? sent) =>
        stored is null ? sent is null : sent is { } id && Same(stored, id.ToString());

    public static bool Same(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }
        return TryParse(left, out var l) && TryParse(right, out var r)
            ? l == r
            : string.Equals(left.Trim(), right.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    public static bool TryParse(string? text, out NsId id)
    {
        var span = (text ?? "").AsSpan().Trim();
        if (span.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            span = span[2..];
        }
        return NsId.TryParse(span, out id);
    }
}

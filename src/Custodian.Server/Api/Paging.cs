using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Custodian.Core.Errors;

namespace Custodian.Server.Api;

/// <summary>
/// The query of the paged lists: <c>limit</c> (1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent)
/// and, for lists in DevEUI order, <c>after</c>: the previous page's <c>next</c>.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static bool TryReadLimit(string? limit, out int pageSize, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        pageSize = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxLimit))
        {
            failure = CustodianErrors.InvalidField.With($"limit: an integer from 1 to {MaxLimit}.");
            return false;
        }
        failure = null;
        return true;
    }

    public static bool TryReadAfter(string? after, out DevEui? from, [NotNullWhen(false)] out CustodianFailure? failure)
    {
        from = null;
        failure = null;
        if (after is null)
        {
            return true;
        }
        if (!DevEui.TryParse(after, out var parsed, out var error))
        {
            failure = CustodianErrors.InvalidField.With("after: a DevEUI from a previous page's next; " + error);
            return false;
        }
        from = parsed;
        return true;
    }

    /// <summary>
    /// The page out of a read of up to one more item than <paramref name="pageSize"/>, and its last item when that
    /// read found more: the one whose key is the page's <c>next</c>.
    /// </summary>
    public static (IReadOnlyList<T> Page, T? Last) Cut<T>(IReadOnlyList<T> read, int pageSize)
        where T : class =>
        read.Count > pageSize ? ([.. read.Take(pageSize)], read[pageSize - 1]) : (read, null);
}

using Custodian.Cli.Api;
using Custodian.Cli.Batches;
using Custodian.Cli.Output;

namespace Custodian.Cli.Commands.Claims;

/// <summary>
/// Claims the rows of a file in batches of <c>batchSize</c>, <c>parallel</c> batches in flight, and tallies them in
/// input order (see <see cref="OrderedBatches"/>).
/// </summary>
internal sealed class ClaimImport(CustodianClient client, ClaimHome home, int batchSize, int parallel)
{
    /// <summary>Claims <paramref name="rows"/>; returns how it ended. The caller's cancellation ends it as <see cref="BatchRunEnd.Interrupted"/>.</summary>
    public Task<(BatchRunEnd End, string? Reason)> RunAsync(
        IEnumerable<ClaimRow> rows, ClaimTally tally, ProgressBar progress, CancellationToken cancellationToken) =>
        OrderedBatches.RunAsync(
            rows.Chunk(batchSize).Select(chunk => new ClaimBatch(chunk)),
            parallel,
            (batch, token) => batch.SendAsync(client, home, token),
            batch =>
            {
                tally.Add(batch);
                progress.Advance(batch.Rows.Length);
                return batch.StopReason;
            },
            cancellationToken);
}

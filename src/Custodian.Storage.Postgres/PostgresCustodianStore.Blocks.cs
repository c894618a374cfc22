using Custodian.Core.Tenancy;
using Npgsql;
using NpgsqlTypes;

namespace Custodian.Storage.Postgres;

/// <summary>The DevEUI blocks of maker tenants (table <c>dev_eui_blocks</c>, schema 5).</summary>
public sealed partial class PostgresCustodianStore
{
    private const string SelectTenantBlocks = "SELECT first_dev_eui, length FROM dev_eui_blocks WHERE tenant_id = $1";

    private const string SelectAllBlocks =
        "SELECT tenant_id, first_dev_eui, length FROM dev_eui_blocks ORDER BY tenant_id COLLATE \"C\", first_dev_eui";

    public async Task<DevEuiBlocks> GetDevEuiBlocksAsync(string tenantId, CancellationToken cancellationToken)
    {
        var blocks = await ListAsync(Command(SelectTenantBlocks).WithText(tenantId), reader => Block(reader, 0), cancellationToken).ConfigureAwait(false);
        // Stored blocks were checked when assigned.
        return DevEuiBlocks.TryCreate(blocks, out var result, out _) ? result : DevEuiBlocks.None;
    }

    public Task<IReadOnlyList<(string TenantId, DevEuiBlock Block)>> ListDevEuiBlocksAsync(CancellationToken cancellationToken) =>
        ListAsync(Command(SelectAllBlocks), reader => (reader.GetString(0), Block(reader, 1)), cancellationToken);

    public async Task<DevEuiBlockAssignment> SetDevEuiBlocksAsync(string tenantId, DevEuiBlocks blocks, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // One assignment at a time (reads go on): the overlap check and the write are one step, across instances too.
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE dev_eui_blocks IN EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var tenant = new NpgsqlCommand(PostgresSql.SelectTenant, connection, transaction).WithText(tenantId))
        {
            if (await tenant.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                return DevEuiBlockAssignment.NoTenant;
            }
        }
        var held = await ListAsync(new NpgsqlCommand(SelectAllBlocks, connection, transaction), reader => (reader.GetString(0), Block(reader, 1)), cancellationToken)
            .ConfigureAwait(false);
        var decision = DevEuiBlockAssignment.Decide(tenantId, blocks.Blocks, held);
        if (!decision.Succeeded)
        {
            return decision;
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM dev_eui_blocks WHERE tenant_id = $1", connection, transaction).WithText(tenantId))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO dev_eui_blocks (tenant_id, first_dev_eui, length) SELECT $1, * FROM unnest($2::bigint[], $3::integer[])", connection, transaction))
        {
            insert.WithText(tenantId)
                .With(blocks.Blocks.Select(b => unchecked((long)b.First)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
                .With(blocks.Blocks.Select(b => b.Length).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return decision;
    }

    private static DevEuiBlock Block(NpgsqlDataReader reader, int ordinal) =>
        DevEuiBlock.Create(unchecked((ulong)reader.GetInt64(ordinal)), reader.GetInt32(ordinal + 1));
}

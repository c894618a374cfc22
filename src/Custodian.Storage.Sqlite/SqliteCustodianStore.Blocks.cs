using Custodian.Core.Tenancy;

namespace Custodian.Storage.Sqlite;

/// <summary>The DevEUI blocks of maker tenants (table <c>dev_eui_blocks</c>, schema 5).</summary>
public sealed partial class SqliteCustodianStore
{
    private const string SelectTenantBlocks =
        "SELECT first_dev_eui, length FROM dev_eui_blocks WHERE tenant_id = $tenant_id";

    private const string SelectAllBlocks =
        "SELECT tenant_id, first_dev_eui, length FROM dev_eui_blocks ORDER BY tenant_id, first_dev_eui";

    public Task<DevEuiBlocks> GetDevEuiBlocksAsync(string tenantId, CancellationToken cancellationToken) =>
        Read(tenantId, static (db, tenantId) =>
        {
            var blocks = List(db.Command(SelectTenantBlocks).Set("$tenant_id", tenantId), reader => Block(reader, 0));
            // Stored blocks were checked when assigned.
            return DevEuiBlocks.TryCreate(blocks, out var result, out _) ? result : DevEuiBlocks.None;
        });

    public Task<IReadOnlyList<(string TenantId, DevEuiBlock Block)>> ListDevEuiBlocksAsync(CancellationToken cancellationToken) =>
        Read(0, static (db, _) => List(db.Command(SelectAllBlocks), reader => (reader.GetString(0), Block(reader, 1))));

    public Task<DevEuiBlockAssignment> SetDevEuiBlocksAsync(string tenantId, DevEuiBlocks blocks, CancellationToken cancellationToken) =>
        _writer.Enqueue(db =>
        {
            // In the writer, the overlap check and the write are one step: no other assignment can come between them.
            if (Single(db.Command(SqliteSql.SelectTenant).Set("$id", tenantId), SqliteRows.ReadTenant) is null)
            {
                return DevEuiBlockAssignment.NoTenant;
            }
            var held = List(db.Command(SelectAllBlocks), reader => (reader.GetString(0), Block(reader, 1)));
            var decision = DevEuiBlockAssignment.Decide(tenantId, blocks.Blocks, held);
            if (!decision.Succeeded)
            {
                return decision;
            }
            db.Command("DELETE FROM dev_eui_blocks WHERE tenant_id = $tenant_id").Set("$tenant_id", tenantId).ExecuteNonQuery();
            var insert = db.Command("INSERT INTO dev_eui_blocks (tenant_id, first_dev_eui, length) VALUES ($tenant_id, $first, $length)");
            foreach (var block in blocks.Blocks)
            {
                insert.Set("$tenant_id", tenantId).Set("$first", unchecked((long)block.First)).Set("$length", (long)block.Length).ExecuteNonQuery();
            }
            return decision;
        }, cancellationToken);

    private static DevEuiBlock Block(Microsoft.Data.Sqlite.SqliteDataReader reader, int ordinal) =>
        DevEuiBlock.Create(unchecked((ulong)reader.GetInt64(ordinal)), reader.GetInt32(ordinal + 1));
}

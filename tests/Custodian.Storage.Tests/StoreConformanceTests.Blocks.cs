using Custodian.Core.Tenancy;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The DevEUI blocks of maker tenants: replaced whole, never overlapping another tenant's, for every engine.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_tenants_blocks_are_replaced_whole_and_never_overlap_another_tenants()
    {
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        await Store.CreateTenantAsync(Tenant("rival"), Ct);
        var high = DevEuiBlock.Create(0xFFFF_FF00_0000_0000UL, 24); // stored as a negative integer
        var low = DevEuiBlock.Create(0x0018_B200_0000_0000UL, 40);

        (await Store.SetDevEuiBlocksAsync("acme", Blocks(high, low), Ct)).Succeeded.Should().BeTrue();
        var refused = await Store.SetDevEuiBlocksAsync("rival", Blocks(DevEuiBlock.Create(0xFFFF_FFFF_0000_0000UL, 32)), Ct);
        var everything = await Store.SetDevEuiBlocksAsync("rival", Blocks(DevEuiBlock.Create(0, 0)), Ct);
        var noTenant = await Store.SetDevEuiBlocksAsync("nobody", Blocks(DevEuiBlock.Create(0x0100_0000_0000_0000UL, 8)), Ct);

        refused.Succeeded.Should().BeFalse();
        refused.Conflict.Should().Be(high);
        refused.ConflictTenantId.Should().Be("acme");
        everything.Conflict.Should().NotBeNull("/0 overlaps every block");
        noTenant.TenantFound.Should().BeFalse();
        (await Store.GetDevEuiBlocksAsync("rival", Ct)).Blocks.Should().BeEmpty("a refused assignment writes nothing");
        var acme = await Store.GetDevEuiBlocksAsync("acme", Ct);
        acme.Blocks.Should().Equal(low, high);
        acme.Contains(new DevEui(0xFFFF_FF12_3456_789AUL)).Should().BeTrue();
        acme.Contains(new DevEui(0x0018_B300_0000_0000UL)).Should().BeFalse();

        (await Store.SetDevEuiBlocksAsync("acme", Blocks(low), Ct)).Succeeded.Should().BeTrue();
        (await Store.SetDevEuiBlocksAsync("rival", Blocks(high), Ct)).Succeeded.Should().BeTrue("acme gave that block up");
        (await Store.ListDevEuiBlocksAsync(Ct)).Should().Equal(("acme", low), ("rival", high));
    }

    private static DevEuiBlocks Blocks(params DevEuiBlock[] blocks) =>
        DevEuiBlocks.TryCreate(blocks, out var result, out var error) ? result : throw new ArgumentException(error);
}

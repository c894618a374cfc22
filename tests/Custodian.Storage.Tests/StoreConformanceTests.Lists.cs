using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The lists behind the admin and maker list endpoints, and API key revocation.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>Ordinal order; a linguistic collation (PostgreSQL's default) would put "a_b" before "a0" or ignore the '-'.</summary>
    private static readonly string[] OrdinalIds = ["a-b", "a0", "a_b", "ab", "b"];

    // Tenants.

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public async Task Tenants_list_in_ordinal_id_order_and_page_with_after(int limit)
    {
        foreach (var id in OrdinalIds.Reverse())
        {
            await Store.CreateTenantAsync(Tenant(id), Ct);
        }

        var all = new List<Tenant>();
        for (string? after = null; ;)
        {
            var page = await Store.ListTenantsAsync(after, limit, Ct);
            page.Count.Should().BeLessThanOrEqualTo(limit);
            if (page.Count == 0)
            {
                break;
            }
            all.AddRange(page);
            after = page[^1].Id;
        }

        all.Should().Equal(OrdinalIds.Select(Tenant));
        (await Store.ListTenantsAsync("a_b", 100, Ct)).Select(t => t.Id).Should().Equal("ab", "b");
        (await Store.ListTenantsAsync("b", 100, Ct)).Should().BeEmpty();
        (await Store.ListTenantsAsync(null, 0, Ct)).Should().BeEmpty();
    }

    // API keys.

    [Fact]
    public async Task Api_keys_list_per_tenant_oldest_first_with_every_field()
    {
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        await Store.CreateTenantAsync(Tenant("other"), Ct);
        var newest = ApiKey("acme", ApiRights.DevicesRead) with { CreatedAt = T0.AddSeconds(2) };
        var oldest = ApiKey("acme", ApiRights.Admin, [1, 2, 3]) with { CreatedAt = T0 };
        var middle = ApiKey("acme", ApiRights.DevicesClaim | ApiRights.DevicesUnclaim) with { CreatedAt = T0.AddSeconds(1) };
        foreach (var key in new[] { newest, oldest, middle, ApiKey("other", ApiRights.EventsRead) })
        {
            await Store.CreateApiKeyAsync(key, Ct);
        }

        var listed = await Store.ListApiKeysAsync("acme", Ct);

        listed.Select(k => k.Id).Should().Equal(oldest.Id, middle.Id, newest.Id);
        ShouldMatch(listed[0], oldest);
        ShouldMatch(listed[2], newest);
        (await Store.ListApiKeysAsync("nobody", Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Deleting_an_api_key_takes_it_from_its_tenant_only()
    {
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        var key = ApiKey("acme", ApiRights.DevicesRead, [9, 9]);
        var kept = ApiKey("acme", ApiRights.DevicesRead);
        await Store.CreateApiKeyAsync(key, Ct);
        await Store.CreateApiKeyAsync(kept, Ct);

        (await Store.DeleteApiKeyAsync("other", key.Id, Ct)).Should().Be(ApiKeyDeletion.NotFound);
        (await Store.FindApiKeyAsync(key.SecretHash, Ct)).Should().NotBeNull();

        (await Store.DeleteApiKeyAsync("acme", key.Id, Ct)).Should().Be(ApiKeyDeletion.Deleted);
        (await Store.FindApiKeyAsync(key.SecretHash, Ct)).Should().BeNull();
        (await Store.FindApiKeyByCertificateAsync(new byte[] { 9, 9 }, Ct)).Should().BeNull();
        (await Store.ListApiKeysAsync("acme", Ct)).Select(k => k.Id).Should().Equal(kept.Id);
        (await Store.DeleteApiKeyAsync("acme", key.Id, Ct)).Should().Be(ApiKeyDeletion.NotFound);
        (await Store.DeleteApiKeyAsync("acme", "key_unknown", Ct)).Should().Be(ApiKeyDeletion.NotFound);
    }

    [Fact]
    public async Task The_last_admin_key_anywhere_is_kept()
    {
        await Store.CreateTenantAsync(Tenant(Core.Tenancy.Tenant.OperatorId), Ct);
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        var first = ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.All);
        var plain = ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.All & ~ApiRights.Admin);
        var second = ApiKey("acme", ApiRights.Admin);
        await Store.CreateApiKeyAsync(first, Ct);
        await Store.CreateApiKeyAsync(plain, Ct);

        (await Store.DeleteApiKeyAsync(Core.Tenancy.Tenant.OperatorId, first.Id, Ct)).Should().Be(ApiKeyDeletion.LastAdminKey);
        (await Store.FindApiKeyAsync(first.SecretHash, Ct)).Should().NotBeNull();
        (await Store.DeleteApiKeyAsync(Core.Tenancy.Tenant.OperatorId, plain.Id, Ct)).Should().Be(ApiKeyDeletion.Deleted);

        await Store.CreateApiKeyAsync(second, Ct);
        (await Store.DeleteApiKeyAsync(Core.Tenancy.Tenant.OperatorId, first.Id, Ct)).Should().Be(ApiKeyDeletion.Deleted);
        (await Store.DeleteApiKeyAsync("acme", second.Id, Ct)).Should().Be(ApiKeyDeletion.LastAdminKey);
        (await Store.HasAdminKeyAsync(Ct)).Should().BeTrue();
    }

    [Fact]
    public async Task Two_admin_keys_revoked_at_once_leave_one()
    {
        await Store.CreateTenantAsync(Tenant(Core.Tenancy.Tenant.OperatorId), Ct);
        var remaining = ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.Admin);
        await Store.CreateApiKeyAsync(remaining, Ct);
        for (var round = 0; round < 20; round++)
        {
            var added = ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.Admin);
            await Store.CreateApiKeyAsync(added, Ct);

            var results = await Task.WhenAll(
                Task.Run(() => Store.DeleteApiKeyAsync(Core.Tenancy.Tenant.OperatorId, remaining.Id, Ct), Ct),
                Task.Run(() => Store.DeleteApiKeyAsync(Core.Tenancy.Tenant.OperatorId, added.Id, Ct), Ct));

            results.Should().BeEquivalentTo(new[] { ApiKeyDeletion.Deleted, ApiKeyDeletion.LastAdminKey }, $"round {round}");
            remaining = results[0] == ApiKeyDeletion.Deleted ? added : remaining;
            (await Store.ListApiKeysAsync(Core.Tenancy.Tenant.OperatorId, Ct)).Select(k => k.Id).Should().Equal(remaining.Id);
        }
    }

    // Peers.

    [Fact]
    public async Task Networks_list_by_net_id_then_ns_id_with_none_first()
    {
        var low = new NetId(0x000013);
        Network[] expected = [MinimalNetwork(low), Network(low, "ns-a"), Network(low, "ns-b"), Network(low, "ns_a"), Network(new NetId(0xC00053))];
        foreach (var network in expected.Reverse())
        {
            await Store.CreateNetworkAsync(network, Ct);
        }

        var listed = await Store.ListNetworksAsync(Ct);

        listed.Should().HaveCount(expected.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            ShouldMatch(listed[i], expected[i]);
        }
    }

    [Fact]
    public async Task Application_servers_list_in_ordinal_as_id_order()
    {
        var expected = OrdinalIds.Select(id => ApplicationServer("as." + id)).Append(new ApplicationServer("bare", null, new byte[] { 1 }, null, T0)).ToList();
        foreach (var server in Enumerable.Reverse(expected))
        {
            await Store.CreateApplicationServerAsync(server, Ct);
        }

        var listed = await Store.ListApplicationServersAsync(Ct);

        listed.Should().HaveCount(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            ShouldMatch(listed[i], expected[i]);
        }
        (await Store.ListNetworksAsync(Ct)).Should().BeEmpty();
    }

    // A maker's devices.

    [Fact]
    public async Task Maker_devices_list_in_unsigned_dev_eui_order_claimed_or_not()
    {
        var devices = AcrossTheBoundary.Select((e, i) => i % 2 == 0 ? Device(e, "acme") : OwnedDevice(e, "buyer") with { MakerTenantId = "acme" }).ToList();
        await Store.CreateDevicesAsync([.. Enumerable.Reverse(devices)], Ct);
        await Store.CreateDevicesAsync([Device(NewDevEui(), "other"), OwnedDevice(NewDevEui(), "acme")], Ct);

        var all = await Store.ListMakerDevicesAsync("acme", null, 100, Ct);

        all.Should().Equal(devices.Select(d => d with { Version = 1 }));
        (await Store.ListMakerDevicesAsync("buyer", null, 100, Ct)).Should().BeEmpty();
        (await Store.ListMakerDevicesAsync("acme", null, 0, Ct)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Maker_devices_page_with_after(int limit)
    {
        await Store.CreateDevicesAsync([.. AcrossTheBoundary.Select(e => Device(e, "acme"))], Ct);
        await Store.CreateDevicesAsync([Device(NewDevEui(), "other")], Ct);

        var pages = await PageAsync(after => Store.ListMakerDevicesAsync("acme", after, limit, Ct), d => d.DevEui, limit);

        pages.Should().Equal(AcrossTheBoundary);
        for (var i = 0; i < AcrossTheBoundary.Length; i++)
        {
            (await Store.ListMakerDevicesAsync("acme", AcrossTheBoundary[i], 100, Ct)).Select(d => d.DevEui)
                .Should().Equal(AcrossTheBoundary.Skip(i + 1), $"after {AcrossTheBoundary[i]}");
        }
    }

    private static void ShouldMatch(ApiKeyRecord actual, ApiKeyRecord expected)
    {
        actual.Id.Should().Be(expected.Id);
        actual.TenantId.Should().Be(expected.TenantId);
        actual.Name.Should().Be(expected.Name);
        actual.Rights.Should().Be(expected.Rights);
        actual.SecretHash.ToArray().Should().Equal(expected.SecretHash.ToArray());
        actual.CreatedAt.Should().Be(expected.CreatedAt);
        actual.CertificateThumbprint.HasValue.Should().Be(expected.CertificateThumbprint.HasValue);
        (actual.CertificateThumbprint?.ToArray() ?? []).Should().Equal(expected.CertificateThumbprint?.ToArray() ?? []);
    }
}

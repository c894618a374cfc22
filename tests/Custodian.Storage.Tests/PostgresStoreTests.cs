using Custodian.Core.Storage;
using Custodian.Storage.Postgres;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The conformance suite over PostgreSQL, plus what only a shared database has: several instances on it.</summary>
public sealed class PostgresStoreTests(PostgresClassDatabase classDatabase) : StoreConformanceTests, IClassFixture<PostgresClassDatabase>
{
    private PostgresDatabase Database => classDatabase.Database;

    protected override async Task<ICustodianStore> OpenStoreAsync()
    {
        await Database.ExecuteAsync(
            "TRUNCATE tenants, api_keys, networks, application_servers, devices, used_dev_nonces, sessions, events, routed_claims RESTART IDENTITY");
        var store = PostgresCustodianStore.Create(Database.ConnectionString);
        await store.MigrateAsync(Ct);
        return store;
    }

    [Fact]
    public async Task The_same_join_through_two_instances_at_once_commits_exactly_once()
    {
        await using var other = PostgresCustodianStore.Create(Database.ConnectionString);
        for (var round = 0; round < 20; round++)
        {
            var device = await CreateAsync(Device(NewDevEui()));
            var commit = Join(device, (ushort)(round + 1));

            var results = await Task.WhenAll(
                Task.Run(() => Store.CommitJoinAsync(commit, Ct), Ct),
                Task.Run(() => other.CommitJoinAsync(commit, Ct), Ct));

            results.Should().ContainSingle(r => r == JoinCommitResult.Committed, $"round {round}");
            (await other.GetDeviceAsync(device.DevEui, Ct))!.Version.Should().Be(2);
        }
        (await Database.ScalarAsync("SELECT count(*) FROM sessions")).Should().Be(20L);
        (await Database.ScalarAsync("SELECT count(*) FROM events")).Should().Be(20L);
    }

    [Fact]
    public async Task Two_instances_claiming_one_device_at_once_claim_it_exactly_once()
    {
        await using var other = PostgresCustodianStore.Create(Database.ConnectionString);

        await ClaimRaceAsync(Store, other);
    }

    [Fact]
    public async Task Two_instances_applying_overlapping_batches_at_once_both_commit()
    {
        await using var other = PostgresCustodianStore.Create(Database.ConnectionString);
        var devices = new List<Core.Devices.Device>();
        for (var i = 0; i < 50; i++)
        {
            devices.Add(await CreateAsync(Device(NewDevEui())));
        }

        // Opposite orders: the locks are still taken in one order, so neither waits for the other forever.
        Task Count(ICustodianStore store, IEnumerable<Core.Devices.Device> order) => Task.Run(() => store.ApplyDeviceChangesAsync(
            [.. order.Select(d => new DeviceChange(d.DevEui, current => new DeviceDecision(current! with { FailedClaims = current.FailedClaims + 1 }, [])))],
            Ct), Ct);
        await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => Count(i % 2 == 0 ? Store : other, i % 4 < 2 ? devices : Enumerable.Reverse(devices))));

        foreach (var device in devices)
        {
            var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
            stored!.FailedClaims.Should().Be(10);
            stored.Version.Should().Be(11);
        }
    }

    [Fact]
    public async Task The_claim_fields_are_read_by_another_instance()
    {
        var device = await CreateAsync(FullDevice(NewDevEui()));
        var commit = Join(device, 4);
        await Store.CommitJoinAsync(commit, Ct);

        await using var other = PostgresCustodianStore.Create(Database.ConnectionString);

        (await other.GetDeviceAsync(device.DevEui, Ct)).Should().Be(commit.Device with { Version = 2 });
    }

    [Fact]
    public Task A_failing_commit_in_a_group_fails_alone() => FailingCommitFailsAloneAsync<Npgsql.PostgresException>();

    [Fact]
    public async Task Two_instances_migrating_a_new_database_at_once_both_succeed()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = PostgresCustodianStore.Create(database.ConnectionString);
        await using var second = PostgresCustodianStore.Create(database.ConnectionString);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync(Ct), Ct), Task.Run(() => second.MigrateAsync(Ct), Ct));

        (await database.ScalarAsync("SELECT count(*) FROM schema_version")).Should().Be(2L, "both migrations, each applied once");
        (await first.CreateTenantAsync(Tenant("t"), Ct)).Should().BeTrue();
        (await second.GetTenantAsync("t", Ct)).Should().Be(Tenant("t"));
    }
}

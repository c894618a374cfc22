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
            "TRUNCATE tenants, api_keys, networks, application_servers, devices, used_dev_nonces, sessions, events RESTART IDENTITY");
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
    public Task A_failing_commit_in_a_group_fails_alone() => FailingCommitFailsAloneAsync<Npgsql.PostgresException>();

    [Fact]
    public async Task Two_instances_migrating_a_new_database_at_once_both_succeed()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var first = PostgresCustodianStore.Create(database.ConnectionString);
        await using var second = PostgresCustodianStore.Create(database.ConnectionString);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync(Ct), Ct), Task.Run(() => second.MigrateAsync(Ct), Ct));

        (await database.ScalarAsync("SELECT count(*) FROM schema_version")).Should().Be(1L);
        (await first.CreateTenantAsync(Tenant("t"), Ct)).Should().BeTrue();
        (await second.GetTenantAsync("t", Ct)).Should().Be(Tenant("t"));
    }
}

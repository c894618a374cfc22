using Custodian.Core.Storage;
using Custodian.Storage.Postgres;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The conformance suite over PostgreSQL, plus what only a shared database has: several instances on it.</summary>
public sealed class PostgresStoreTests(PostgresClassDatabase classDatabase) : StoreConformanceTests, IClassFixture<PostgresClassDatabase>
{
    private PostgresDatabase Database => classDatabase.Database;

    /// <summary>The engine's migrations: upgrades end at the last one, whichever branches added theirs.</summary>
    private static readonly IReadOnlyList<(int Version, string Sql)> Migrations = MigrationScripts.Load(typeof(PostgresCustodianStore).Assembly);

    private static int LatestVersion => Migrations[^1].Version;

    protected override async Task<ICustodianStore> OpenStoreAsync()
    {
        await Database.ExecuteAsync(
            "TRUNCATE tenants, api_keys, networks, application_servers, devices, used_dev_nonces, sessions, events, routed_claims, dev_eui_blocks, claim_throttles, api_key_limits RESTART IDENTITY");
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
    public async Task Upgrading_a_schema_1_database_keeps_its_devices_and_keys_with_the_claim_defaults()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync(SqliteStoreTests.SchemaOne(typeof(PostgresCustodianStore).Assembly));
        await database.ExecuteAsync(
            """
            CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO schema_version (version) VALUES (1);
            INSERT INTO tenants VALUES ('acme', 'Acme', now());
            INSERT INTO api_keys VALUES ('key_1', 'acme', 'A key', 4, '\x0102', now());
            INSERT INTO devices (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, owner_tenant_id,
                home_net_id, claimed_at, ownership_epoch, next_join_nonce, created_at, version)
            VALUES (-1, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:BBBB', 'acme', 19, now(), 1, 0, now(), 3);
            """);

        await using var store = PostgresCustodianStore.Create(database.ConnectionString);
        await store.MigrateAsync(Ct);

        var device = await store.GetDeviceAsync(new DevEui(0xFFFFFFFFFFFFFFFF), Ct);
        device!.Owner!.Locked.Should().BeTrue();
        device.FailedClaims.Should().Be(0);
        device.ClaimLockedUntil.Should().BeNull();
        device.Version.Should().Be(3);
        (await store.ListOwnedDevicesAsync("acme", null, 10, Ct)).Should().Equal(device);
        (await store.FindApiKeyAsync(new byte[] { 1, 2 }, Ct))!.CertificateThumbprint.Should().BeNull();
        await store.PutRoutedClaimAsync(RoutedClaim(NewDevEui(), "acme"), Ct);
        (await store.ListRoutedClaimsAsync("acme", null, 10, Ct)).Should().ContainSingle();
        device.ClaimCodeIssuer.Should().BeNull();
        (await database.ScalarAsync("SELECT max(version) FROM schema_version")).Should().Be(LatestVersion);
    }

    [Fact]
    public async Task Upgrading_a_schema_2_database_keeps_its_devices_with_the_maker_as_the_claim_code_issuer()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync(SqliteStoreTests.SchemaThrough(typeof(PostgresCustodianStore).Assembly, 2));
        await database.ExecuteAsync(
            """
            CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO schema_version (version) VALUES (1), (2);
            INSERT INTO devices (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, owner_tenant_id,
                home_net_id, claimed_at, ownership_epoch, next_join_nonce, created_at, failed_claims, owner_locked, version)
            VALUES (-1, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:BBBB', 'acme', 19, now(), 1, 0, now(), 2, false, 3),
                (5, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:CCCC', NULL, NULL, NULL, 2, 0, now(), 0, true, 4);
            """);

        await using var store = PostgresCustodianStore.Create(database.ConnectionString);
        await store.MigrateAsync(Ct);

        await SchemaTwoDevices.ShouldSurviveUpgradeAsync(store);
        (await database.ScalarAsync("SELECT max(version) FROM schema_version")).Should().Be(LatestVersion);
    }

    [Fact]
    public async Task Upgrading_a_schema_3_database_lists_its_devices_by_maker_through_an_index()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync(SqliteStoreTests.SchemaThrough(typeof(PostgresCustodianStore).Assembly, 3));
        await database.ExecuteAsync(
            """
            CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO schema_version (version) VALUES (1), (2), (3);
            """ + SchemaThreeDevices.Insert("now()"));

        await using var store = PostgresCustodianStore.Create(database.ConnectionString);
        await store.MigrateAsync(Ct);

        await SchemaThreeDevices.ShouldListByMakerAsync(store);
        (await database.ScalarAsync("SELECT indexdef FROM pg_indexes WHERE indexname = 'devices_maker_dev_eui'"))
            .Should().Be("CREATE INDEX devices_maker_dev_eui ON public.devices USING btree (maker_tenant_id, dev_eui)");
        (await database.ScalarAsync("SELECT max(version) FROM schema_version")).Should().Be(LatestVersion);
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

        (await database.ScalarAsync("SELECT count(*) FROM schema_version")).Should().Be((long)Migrations.Count, "every migration, each applied once");
        (await first.CreateTenantAsync(Tenant("t"), Ct)).Should().BeTrue();
        (await second.GetTenantAsync("t", Ct)).Should().Be(Tenant("t"));
    }
}

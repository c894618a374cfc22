using Custodian.Core.Storage;
using Custodian.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The conformance suite over SQLite in a temporary directory, plus what only SQLite has.</summary>
public sealed class SqliteStoreTests : StoreConformanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-sqlite-").FullName;

    protected override async Task<ICustodianStore> OpenStoreAsync() => await OpenAsync(Durability.Process);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(Durability.Process, 1L)]
    [InlineData(Durability.Full, 2L)]
    public async Task Durability_sets_the_synchronous_mode_of_the_writer(Durability durability, long synchronous)
    {
        await using var store = await OpenAsync(durability, "durability");

        (await store.ReadWriterPragmaAsync("synchronous", Ct)).Should().Be(synchronous);
        (await store.ReadWriterPragmaAsync("journal_mode", Ct)).Should().Be("wal");
        (await store.ReadWriterPragmaAsync("foreign_keys", Ct)).Should().Be(1L);
    }

    [Fact]
    public async Task Data_survives_disposing_and_reopening_the_store()
    {
        var device = await CreateAsync(FullDevice(NewDevEui()));
        var commit = Join(device, 42);
        await Store.CommitJoinAsync(commit, Ct);
        await Store.CreateTenantAsync(Tenant("kept"), Ct);
        await Store.DisposeAsync();

        await using var reopened = await OpenAsync(Durability.Process);

        (await reopened.GetDeviceAsync(device.DevEui, Ct)).Should().Be(commit.Device with { Version = 2 });
        (await reopened.IsDevNonceUsedAsync(device.DevEui, new DevNonce(42), Ct)).Should().BeTrue();
        (await reopened.GetTenantAsync("kept", Ct)).Should().Be(Tenant("kept"));
        File.Exists(Path.Combine(_directory, SqliteCustodianStore.FileName)).Should().BeTrue();
    }

    [Fact]
    public async Task The_wal_file_stays_bounded_under_constant_writes()
    {
        // Thousands of writers at once keep the group-commit writer busy without a pause, the case in which a
        // checkpoint that never completes would let the WAL grow without end.
        var events = Enumerable.Range(0, 120_000).Select(i =>
            new Core.Events.AuditEvent(0, T0, "maker", "test.event", NewDevEui(), "Success", $"event {i} with some detail", "test"));

        await Task.WhenAll(events.Select(e => Store.AppendEventAsync(e, Ct)));

        var wal = new FileInfo(Path.Combine(_directory, SqliteCustodianStore.FileName + "-wal"));
        wal.Length.Should().BeLessThan(10L << 20, "the writer's checkpoints complete and the WAL restarts");
        (await Store.ListEventsAsync(new Core.Events.EventQuery("maker", null, null, 5), Ct)).Should().HaveCount(5);
    }

    [Fact]
    public Task A_failing_commit_in_a_group_fails_alone() => FailingCommitFailsAloneAsync<Microsoft.Data.Sqlite.SqliteException>();

    [Fact]
    public async Task Upgrading_a_schema_1_database_keeps_its_devices_and_keys_with_the_claim_defaults()
    {
        var directory = Path.Combine(_directory, "v1");
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, SqliteCustodianStore.FileName), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, SchemaOne(typeof(SqliteCustodianStore).Assembly));
            await ExecuteAsync(connection,
                """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (1, 0);
                INSERT INTO tenants VALUES ('acme', 'Acme', 0);
                INSERT INTO api_keys VALUES ('key_1', 'acme', 'A key', 4, x'0102', 0);
                INSERT INTO devices (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, owner_tenant_id,
                    home_net_id, claimed_at, ownership_epoch, next_join_nonce, created_at, version)
                VALUES (-1, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:BBBB', 'acme', 19, 0, 1, 0, 0, 3);
                """);
        }

        await using var store = await OpenAsync(Durability.Process, "v1");

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
    }

    [Fact]
    public async Task Upgrading_a_schema_2_database_keeps_its_devices_with_the_maker_as_the_claim_code_issuer()
    {
        var directory = Path.Combine(_directory, "v2");
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, SqliteCustodianStore.FileName), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, SchemaThrough(typeof(SqliteCustodianStore).Assembly, 2));
            await ExecuteAsync(connection,
                """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (1, 0), (2, 0);
                INSERT INTO devices (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, owner_tenant_id,
                    home_net_id, claimed_at, ownership_epoch, next_join_nonce, created_at, failed_claims, owner_locked, version)
                VALUES (-1, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:BBBB', 'acme', 19, 0, 1, 0, 0, 2, 0, 3),
                    (5, 1, '1.0.3', 'maker', 'kek:AAAA', 'kek:CCCC', NULL, NULL, NULL, 2, 0, 0, 0, 1, 4);
                """);
        }

        await using var store = await OpenAsync(Durability.Process, "v2");

        await SchemaTwoDevices.ShouldSurviveUpgradeAsync(store);
    }

    [Fact]
    public async Task Upgrading_a_schema_3_database_lists_its_devices_by_maker_through_an_index()
    {
        var directory = Path.Combine(_directory, "v3");
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, SqliteCustodianStore.FileName), Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await ExecuteAsync(connection, SchemaThrough(typeof(SqliteCustodianStore).Assembly, 3));
            await ExecuteAsync(connection,
                """
                CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (1, 0), (2, 0), (3, 0);
                """ + SchemaThreeDevices.Insert("0"));
        }

        await using var store = await OpenAsync(Durability.Process, "v3");

        await SchemaThreeDevices.ShouldListByMakerAsync(store);
        await using var check = new SqliteConnection(connectionString);
        await check.OpenAsync(Ct);
        await using var plan = check.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM devices WHERE maker_tenant_id = 'acme' AND dev_eui BETWEEN 0 AND 100 ORDER BY dev_eui";
        await using var reader = await plan.ExecuteReaderAsync(Ct);
        var steps = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            steps.Add(reader.GetString(3));
        }
        steps.Should().ContainSingle("one index range, already in DevEUI order: no sort")
            .Which.Should().Contain("USING INDEX devices_maker (maker_tenant_id=? AND rowid>? AND rowid<?)");
    }

    /// <summary>An engine's first migration script, as embedded in its assembly.</summary>
    internal static string SchemaOne(System.Reflection.Assembly assembly) => SchemaThrough(assembly, 1);

    /// <summary>An engine's migration scripts 1…<paramref name="version"/>, as embedded in its assembly, in order.</summary>
    internal static string SchemaThrough(System.Reflection.Assembly assembly, int version)
    {
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Name: n, Version: int.Parse(n.Split(".Migrations.")[1][..4], System.Globalization.CultureInfo.InvariantCulture)))
            .Where(m => m.Version <= version)
            .OrderBy(m => m.Version)
            .ToList();
        names.Select(m => m.Version).Should().Equal(Enumerable.Range(1, version));
        return string.Join("\n", names.Select(m =>
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(m.Name)!);
            return reader.ReadToEnd();
        }));
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task Create_makes_the_data_directory()
    {
        var nested = Path.Combine(_directory, "a", "b");

        await using var store = SqliteCustodianStore.Create(nested, Durability.Process);
        await store.MigrateAsync(Ct);

        File.Exists(Path.Combine(nested, SqliteCustodianStore.FileName)).Should().BeTrue();
    }

    private async Task<SqliteCustodianStore> OpenAsync(Durability durability, string? subdirectory = null)
    {
        var store = SqliteCustodianStore.Create(subdirectory is null ? _directory : Path.Combine(_directory, subdirectory), durability);
        await store.MigrateAsync(Ct);
        return store;
    }
}

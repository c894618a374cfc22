using System.Buffers.Binary;
using System.Security.Cryptography;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Lorawan.Crypto;
using Microsoft.Extensions.Time.Testing;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>
/// Retention, KEK check values and rewrap, once for every engine (<see cref="IStoreMaintenance"/>): each engine's
/// class supplies a fresh, migrated store.
/// </summary>
public abstract class StoreMaintenanceTests : IAsyncLifetime
{
    private static readonly KeyEncryptionKey KekA = new("a", RandomNumberGenerator.GetBytes(32));
    private static readonly KeyEncryptionKey KekB = new("b", RandomNumberGenerator.GetBytes(16));
    private ICustodianStore? _store;

    protected ICustodianStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    protected IStoreMaintenance Maintenance => (IStoreMaintenance)Store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<ICustodianStore> OpenStoreAsync();

    public async ValueTask InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    // Retention.

    [Fact]
    public async Task Pruning_removes_old_events_and_expired_sessions_and_keeps_devices_devnonces_and_join_nonces()
    {
        var time = new FakeTimeProvider(T0);
        var device = await CreateAsync(Device(NewDevEui()));
        var firstJoinNonce = device.NextJoinNonce;
        // Day 0: a join (session for 7 days, DevNonce 1 remembered); day 20: another (DevNonce 2).
        device = await JoinAsync(device, 1, time.GetUtcNow(), TimeSpan.FromDays(7));
        time.Advance(TimeSpan.FromDays(20));
        device = await JoinAsync(device, 2, time.GetUtcNow(), TimeSpan.FromDays(7));
        time.Advance(TimeSpan.FromDays(2));

        var result = await new RetentionPruner(Maintenance, time, new RetentionPolicy(TimeSpan.FromDays(10))).PruneAsync(Ct);

        result.Should().Be(new PruneResult(1, 1), "the day-0 event is older than 10 days and the day-0 session expired on day 7");
        var counts = await Maintenance.CountRowsAsync(Ct);
        counts["events"].Should().Be(1);
        counts["sessions"].Should().Be(1);
        counts["devices"].Should().Be(1);
        counts["used_dev_nonces"].Should().Be(2, "used DevNonces guard against replays: never pruned");
        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(1), Ct)).Should().BeTrue();
        var kept = (await Store.GetDeviceAsync(device.DevEui, Ct))!;
        kept.LastDevNonce.Should().Be(new DevNonce(2));
        kept.NextJoinNonce.Should().Be(firstJoinNonce + 2, "the JoinNonce counter lives on the device row, which is never pruned");
    }

    [Fact]
    public async Task Storage_stays_bounded_over_a_simulated_year_of_steady_joins()
    {
        var time = new FakeTimeProvider(T0);
        var lifetime = TimeSpan.FromDays(7);
        var policy = new RetentionPolicy(TimeSpan.FromDays(30));
        var pruner = new RetentionPruner(Maintenance, time, policy);
        const int Devices = 12;
        var devices = new Device[Devices];
        for (var i = 0; i < Devices; i++)
        {
            devices[i] = await CreateAsync(Device(NewDevEui()) with { MacVersion = i % 2 == 0 ? MacVersion.V1_0_3 : MacVersion.V1_0_4 });
        }
        var firstJoinNonce = devices[1].NextJoinNonce;
        long maxEvents = 0, maxSessions = 0;
        for (var day = 1; day <= 365; day++)
        {
            for (var i = 0; i < Devices; i++)
            {
                // 1.0.3 devices remember every DevNonce (bounded by 2^16 per device); 1.0.4 ones keep only the last.
                devices[i] = await JoinAsync(devices[i], (ushort)day, time.GetUtcNow(), lifetime, remember: i % 2 == 0);
            }
            // CheckEvery = 1 day here: the pruner runs once per simulated day.
            time.Advance(TimeSpan.FromDays(1));
            await pruner.PruneAsync(Ct);
            var counts = await Maintenance.CountRowsAsync(Ct);
            maxEvents = Math.Max(maxEvents, counts["events"]);
            maxSessions = Math.Max(maxSessions, counts["sessions"]);
        }

        maxEvents.Should().BeLessThanOrEqualTo(Devices * 31, "events live 30 days");
        maxSessions.Should().BeLessThanOrEqualTo(Devices * 8, "sessions live 7 days");
        var final = await Maintenance.CountRowsAsync(Ct);
        final["used_dev_nonces"].Should().Be(Devices / 2 * 365, "every DevNonce a 1.0.3 device used is kept");
        final["devices"].Should().Be(Devices);
        (await Store.IsDevNonceUsedAsync(devices[0].DevEui, new DevNonce(1), Ct)).Should().BeTrue("the first DevNonce of the year still refuses a replay");
        (await Store.GetDeviceAsync(devices[1].DevEui, Ct))!.NextJoinNonce.Should().Be(firstJoinNonce + 365);
    }

    // KEK check values.

    [Fact]
    public async Task Kek_checks_accept_the_same_keys_and_refuse_a_different_key_or_a_missing_label_naming_it()
    {
        await KekChecks.VerifyAsync(new KeyRing([KekA, KekB], "b"), Maintenance, Ct);
        (await Maintenance.ReadKekChecksAsync(Ct)).Keys.Should().BeEquivalentTo(["a", "b"]);

        await KekChecks.VerifyAsync(new KeyRing([KekA, KekB], "a"), Maintenance, Ct);

        var otherA = new KeyEncryptionKey("a", RandomNumberGenerator.GetBytes(32));
        var differs = () => KekChecks.VerifyAsync(new KeyRing([otherA, KekB], "b"), Maintenance, Ct);
        (await differs.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*label 'a'*");
        var missing = () => KekChecks.VerifyAsync(new KeyRing([KekB], "b"), Maintenance, Ct);
        (await missing.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*label 'a'*rewrap*");
    }

    // Rewrap.

    [Fact]
    public async Task Rewrap_reseals_every_kind_of_secret_bound_to_its_row_reports_counts_per_label_and_retires_the_old_label()
    {
        // What an older version stored: unbound RFC 3394 seals under "a"; the peers' KEKs already bound.
        var old = new KeyRing([KekA], "a");
        await KekChecks.VerifyAsync(old, Maintenance, Ct);
        var secrets = new Dictionary<string, byte[]>();
        var devices = new List<Device>();
        for (var i = 0; i < 7; i++)
        {
            var device = await CreateAsync(Device(NewDevEui()) with
            {
                RootKeys = Remember(secrets, old, old.SealUnbound(RandomNumberGenerator.GetBytes(16)), default),
                ClaimCode = Remember(secrets, old, old.SealUnbound(RandomNumberGenerator.GetBytes(20)), default),
            });
            devices.Add(await JoinAsync(device, 1, T0, TimeSpan.FromDays(7), appSKey: Remember(secrets, old, old.SealUnbound(RandomNumberGenerator.GetBytes(16)), default)));
        }
        var netId = new NetId(0x000013);
        var bindings = new[] { SecretBinding.Network(netId, null), SecretBinding.Network(netId, "ns-2"), SecretBinding.ApplicationServer("as-1") };
        await Store.CreateNetworkAsync(Network(netId) with { Kek = new PeerKek("peer", Remember(secrets, old, old.Seal(RandomNumberGenerator.GetBytes(16), bindings[0]), bindings[0])) }, Ct);
        await Store.CreateNetworkAsync(Network(netId, "ns-2") with { Kek = new PeerKek("peer", Remember(secrets, old, old.Seal(RandomNumberGenerator.GetBytes(32), bindings[1]), bindings[1])) }, Ct);
        await Store.CreateApplicationServerAsync(ApplicationServer("as-1") with { Kek = new PeerKek("peer", Remember(secrets, old, old.Seal(RandomNumberGenerator.GetBytes(24), bindings[2]), bindings[2])) }, Ct);
        var rotated = new KeyRing([KekA, KekB], "b");
        await KekChecks.VerifyAsync(rotated, Maintenance, Ct);
        // Sealed after the rotation: bound root keys (left alone), and an unbound claim code under the current label (migrated).
        var freshEui = NewDevEui();
        var freshKeys = RootKeys.ForLorawan10(new NwkKey(Key128.Generate()));
        var fresh = await CreateAsync(Device(freshEui) with
        {
            RootKeys = rotated.SealRootKeys(freshKeys, freshEui),
            ClaimCode = Remember(secrets, rotated, rotated.SealUnbound([1, 2, 3]), default),
        });

        var report = await new SecretRewrapper(rotated, Maintenance).RewrapAsync(batchSize: 3, Ct);

        report.CurrentLabel.Should().Be("b");
        report.Labels["a"].Sealed.Should().Be(7 * 3 + 3);
        report.Labels["a"].Rewrapped.Should().Be(7 * 3 + 3);
        report.Labels["b"].Sealed.Should().Be(2);
        report.Labels["b"].Rewrapped.Should().Be(1, "the unbound seal under the current label is migrated too");
        report.Failed.Should().Be(0);
        report.RetiredLabels.Should().Equal("a");
        var onlyB = new KeyRing([KekB], "b");
        await KekChecks.VerifyAsync(onlyB, Maintenance, Ct);
        var cells = 0;
        foreach (var column in Enum.GetValues<SealedColumn>())
        {
            foreach (var cell in await Maintenance.ReadSealedAsync(column, null, 100, Ct))
            {
                cells++;
                var sealedSecret = SealedSecret.ParseStorageText(cell.Text);
                sealedSecret.KekLabel.Should().Be("b", $"{column} {cell.Key}");
                sealedSecret.Format.Should().Be(SealFormat.Aead, $"{column} {cell.Key}");
                var opened = onlyB.Open(sealedSecret, cell.Binding);
                var known = secrets.Values.Any(s => s.AsSpan().SequenceEqual(opened)) || cell.Key == SealedColumnShapeKey(freshEui);
                known.Should().BeTrue($"{column} {cell.Key} keeps its secret");
            }
        }
        cells.Should().Be(7 * 3 + 3 + 2);
        // Read back through the typed API, with the bindings the join and claim paths use.
        var storedNetwork = (await Store.GetNetworkAsync(netId, "ns-2", Ct))!;
        onlyB.OpenPeerKek(storedNetwork.Kek!, SecretBinding.Network(netId, "ns-2")).KeySize.Should().Be(32);
        onlyB.OpenRootKeys((await Store.GetDeviceAsync(freshEui, Ct))!.RootKeys, freshEui).Should().Be(freshKeys);
        (await Store.GetDeviceAsync(devices[0].DevEui, Ct))!.Version.Should().Be(devices[0].Version + 2, "root keys and claim code each bump the version");
    }

    [Fact]
    public async Task A_bound_seal_copied_onto_another_row_does_not_open_there()
    {
        var ring = new KeyRing([KekB], "b");
        var first = NewDevEui();
        var second = NewDevEui();
        var code = ClaimCode.Generate();
        await CreateAsync(Device(first) with { ClaimCode = ring.SealClaimCode(code, first) });
        var victim = await CreateAsync(Device(second) with { ClaimCode = ring.SealClaimCode(ClaimCode.Generate(), second) });
        var cells = await Maintenance.ReadSealedAsync(SealedColumn.DeviceClaimCode, null, 10, Ct);
        var copied = cells.Single(c => c.Binding == SecretBinding.DeviceClaimCode(first)).Text;
        var target = cells.Single(c => c.Binding == SecretBinding.DeviceClaimCode(second));

        (await Maintenance.ReplaceSealedAsync(SealedColumn.DeviceClaimCode, [new SealedReplacement(target.Key, target.Text, copied)], Ct)).Should().Be(1);

        var tampered = (await Store.GetDeviceAsync(victim.DevEui, Ct))!.ClaimCode;
        ring.TryOpen(tampered, SecretBinding.DeviceClaimCode(second), out _, out var error).Should().BeFalse();
        error.Should().Contain("another row");
        ring.OpenClaimCode((await Store.GetDeviceAsync(first, Ct))!.ClaimCode, first).Should().Be(code);
    }

    private static string SealedColumnShapeKey(DevEui devEui) => unchecked((long)devEui.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Rewrap_in_small_batches_while_joins_commit_leaves_every_join_committed_and_every_secret_current()
    {
        var old = new KeyRing([KekA], "a");
        var rotated = new KeyRing([KekA, KekB], "b");
        var rootKeys = new Dictionary<DevEui, byte[]>();
        var devices = new List<Device>();
        for (var i = 0; i < 40; i++)
        {
            var keys = RandomNumberGenerator.GetBytes(16);
            var device = await CreateAsync(Device(NewDevEui()) with { RootKeys = old.SealUnbound(keys), ClaimCode = old.SealUnbound([4, 5, 6]) });
            rootKeys[device.DevEui] = keys;
            devices.Add(device);
        }
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var order = devices.Select(d => d.DevEui).OrderBy(_ => random.Next()).ToList();

        var joins = Task.Run(async () =>
        {
            var committed = 0;
            foreach (var devEui in order)
            {
                // A join re-reads and retries when the device changed under it, as the join handler does.
                while (true)
                {
                    var read = (await Store.GetDeviceAsync(devEui, Ct))!;
                    var join = Join(read, 7);
                    join = join with { Session = join.Session with { AppSKey = old.SealUnbound(RandomNumberGenerator.GetBytes(16)) } };
                    if (await Store.CommitJoinAsync(join, Ct) == JoinCommitResult.Committed)
                    {
                        committed++;
                        break;
                    }
                }
            }
            return committed;
        }, Ct);
        var report = await new SecretRewrapper(rotated, Maintenance).RewrapAsync(batchSize: 2, Ct);

        (await joins).Should().Be(devices.Count, $"seed {seed}");
        report.Failed.Should().Be(0);
        foreach (var device in devices)
        {
            var stored = (await Store.GetDeviceAsync(device.DevEui, Ct))!;
            stored.RootKeys.KekLabel.Should().Be("b", $"seed {seed}");
            new KeyRing([KekB], "b").Open(stored.RootKeys, SecretBinding.DeviceRootKeys(device.DevEui)).Should().Equal(rootKeys[device.DevEui]);
            stored.NextJoinNonce.Should().Be(device.NextJoinNonce + 1);
        }
    }

    [Fact]
    public async Task A_replacement_is_skipped_when_the_cell_changed_meanwhile()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var cell = (await Maintenance.ReadSealedAsync(SealedColumn.DeviceClaimCode, null, 10, Ct)).Single();

        var stale = await Maintenance.ReplaceSealedAsync(SealedColumn.DeviceClaimCode, [new SealedReplacement(cell.Key, Sealed().ToStorageText(), Sealed().ToStorageText())], Ct);
        var current = await Maintenance.ReplaceSealedAsync(SealedColumn.DeviceClaimCode, [new SealedReplacement(cell.Key, cell.Text, "x:AAAA")], Ct);

        stale.Should().Be(0);
        current.Should().Be(1);
        (await Store.GetDeviceAsync(device.DevEui, Ct))!.ClaimCode.ToStorageText().Should().Be("x:AAAA");
    }

    private static SealedSecret Remember(Dictionary<string, byte[]> secrets, KeyRing ring, SealedSecret sealedSecret, SecretBinding binding)
    {
        secrets[sealedSecret.ToStorageText()] = ring.Open(sealedSecret, binding);
        return sealedSecret;
    }

    private async Task<Device> CreateAsync(Device device)
    {
        (await Store.CreateDevicesAsync([device], Ct)).Should().Equal(true);
        return (await Store.GetDeviceAsync(device.DevEui, Ct))!;
    }

    /// <summary>A join at <paramref name="now"/> as the join handler stores it (time-ordered SessionKeyID, event, session).</summary>
    private async Task<Device> JoinAsync(Device read, ushort devNonce, DateTimeOffset now, TimeSpan lifetime, bool remember = true, SealedSecret? appSKey = null)
    {
        var sessionKeyId = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(sessionKeyId, now.UtcTicks);
        RandomNumberGenerator.Fill(sessionKeyId.AsSpan(8));
        var commit = new JoinCommit(
            read with { LastDevNonce = new DevNonce(devNonce), NextJoinNonce = read.NextJoinNonce + 1, LastJoinAt = now },
            read.Version,
            new DevNonce(devNonce),
            remember,
            new JoinSession(read.DevEui, sessionKeyId, read.OwnershipEpoch, new NetId(0x000013), null, appSKey ?? Sealed(), now, now + lifetime),
            new AuditEvent(0, now, read.MakerTenantId, AuditEventTypes.JoinAccepted, read.DevEui, "Success", "join", "network:000013"));
        (await Store.CommitJoinAsync(commit, Ct)).Should().Be(JoinCommitResult.Committed);
        return (await Store.GetDeviceAsync(read.DevEui, Ct))!;
    }
}

public sealed class SqliteMaintenanceTests : StoreMaintenanceTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("custodian-maint-").FullName;

    protected override async Task<ICustodianStore> OpenStoreAsync()
    {
        var store = Custodian.Storage.Sqlite.SqliteCustodianStore.Create(_directory, Durability.Process);
        await store.MigrateAsync(Ct);
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class PostgresMaintenanceTests(PostgresClassDatabase classDatabase) : StoreMaintenanceTests, IClassFixture<PostgresClassDatabase>
{
    protected override async Task<ICustodianStore> OpenStoreAsync()
    {
        var store = Custodian.Storage.Postgres.PostgresCustodianStore.Create(classDatabase.Database.ConnectionString);
        await store.MigrateAsync(Ct);
        await classDatabase.Database.ExecuteAsync(
            "TRUNCATE tenants, api_keys, networks, application_servers, devices, used_dev_nonces, sessions, events, routed_claims, kek_checks RESTART IDENTITY CASCADE");
        return store;
    }
}

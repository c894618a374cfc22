using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Peers;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>
/// The store contract, once for every engine: each engine's test class supplies a fresh, migrated store.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private ICustodianStore? _store;

    protected ICustodianStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new store over empty data, already migrated.</summary>
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

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await Store.CreateTenantAsync(Tenant("t1"), Ct);

        await Store.MigrateAsync(Ct);

        (await Store.GetTenantAsync("t1", Ct)).Should().Be(Tenant("t1"));
    }

    // Tenants and API keys.

    [Fact]
    public async Task Tenant_round_trips_and_a_duplicate_id_is_refused()
    {
        (await Store.CreateTenantAsync(Tenant("acme"), Ct)).Should().BeTrue();
        (await Store.CreateTenantAsync(Tenant("acme") with { Name = "Other" }, Ct)).Should().BeFalse();

        (await Store.GetTenantAsync("acme", Ct)).Should().Be(Tenant("acme"));
        (await Store.GetTenantAsync("nobody", Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Api_key_round_trips_by_its_hash()
    {
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        var key = ApiKey("acme", ApiRights.DevicesProvision | ApiRights.EventsRead);
        await Store.CreateApiKeyAsync(key, Ct);

        var found = await Store.FindApiKeyAsync(key.SecretHash.ToArray(), Ct);

        found.Should().NotBeNull();
        found!.Id.Should().Be(key.Id);
        found.TenantId.Should().Be("acme");
        found.Name.Should().Be(key.Name);
        found.Rights.Should().Be(ApiRights.DevicesProvision | ApiRights.EventsRead);
        found.SecretHash.ToArray().Should().Equal(key.SecretHash.ToArray());
        found.CreatedAt.Should().Be(T0);
        (await Store.FindApiKeyAsync(new byte[32], Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Api_key_needs_its_tenant()
    {
        var create = () => Store.CreateApiKeyAsync(ApiKey("missing", ApiRights.Admin), Ct);

        await create.Should().ThrowAsync<Exception>();
        (await Store.HasAdminKeyAsync(Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task Has_admin_key_only_once_a_key_holds_the_admin_right()
    {
        await Store.CreateTenantAsync(Tenant(Core.Tenancy.Tenant.OperatorId), Ct);
        (await Store.HasAdminKeyAsync(Ct)).Should().BeFalse();

        await Store.CreateApiKeyAsync(ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.All & ~ApiRights.Admin), Ct);
        (await Store.HasAdminKeyAsync(Ct)).Should().BeFalse();

        await Store.CreateApiKeyAsync(ApiKey(Core.Tenancy.Tenant.OperatorId, ApiRights.Admin), Ct);
        (await Store.HasAdminKeyAsync(Ct)).Should().BeTrue();
    }

    // Peers.

    [Fact]
    public async Task Network_round_trips_every_field()
    {
        var network = Network(new NetId(0xC00053), "ns.example");
        (await Store.CreateNetworkAsync(network, Ct)).Should().BeTrue();

        ShouldMatch(await Store.GetNetworkAsync(network.NetId, "ns.example", Ct), network);
    }

    [Theory]
    [InlineData(AppSKeyMode.Network)]
    [InlineData(AppSKeyMode.NetworkClear)]
    public async Task Network_round_trips_its_AppSKey_mode(AppSKeyMode mode)
    {
        var network = Network(new NetId(0xC00054)) with { AppSKeyMode = mode };
        (await Store.CreateNetworkAsync(network, Ct)).Should().BeTrue();

        ShouldMatch(await Store.GetNetworkAsync(network.NetId, null, Ct), network);
        (await Store.ListNetworksAsync(Ct)).Should().ContainSingle().Which.AppSKeyMode.Should().Be(mode);
    }

    [Fact]
    public async Task Network_round_trips_its_null_fields()
    {
        var network = MinimalNetwork(new NetId(0x000013));
        (await Store.CreateNetworkAsync(network, Ct)).Should().BeTrue();

        ShouldMatch(await Store.GetNetworkAsync(network.NetId, null, Ct), network);
        (await Store.GetNetworkAsync(network.NetId, "ns", Ct)).Should().BeNull();
        (await Store.GetNetworkAsync(new NetId(0x000014), null, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Network_is_unique_per_net_id_and_ns_id_null_included()
    {
        var netId = new NetId(0x000013);
        (await Store.CreateNetworkAsync(MinimalNetwork(netId), Ct)).Should().BeTrue();
        (await Store.CreateNetworkAsync(MinimalNetwork(netId), Ct)).Should().BeFalse();
        (await Store.CreateNetworkAsync(Network(netId, "ns-a"), Ct)).Should().BeTrue();
        (await Store.CreateNetworkAsync(Network(netId, "ns-a"), Ct)).Should().BeFalse();
        (await Store.CreateNetworkAsync(Network(netId, "ns-b"), Ct)).Should().BeTrue();
        (await Store.CreateNetworkAsync(MinimalNetwork(new NetId(0x000014)), Ct)).Should().BeTrue();
    }

    [Fact]
    public async Task Network_is_found_by_its_token_or_its_certificate()
    {
        var network = Network(new NetId(0x000013));
        var other = Network(new NetId(0x000014));
        await Store.CreateNetworkAsync(network, Ct);
        await Store.CreateNetworkAsync(other, Ct);

        ShouldMatch(await Store.FindNetworkAsync(new(PeerCredentialKind.BearerToken, network.TokenHash.ToArray()), Ct), network);
        ShouldMatch(await Store.FindNetworkAsync(new(PeerCredentialKind.ClientCertificate, network.CertificateThumbprint!.Value.ToArray()), Ct), network);
        (await Store.FindNetworkAsync(new(PeerCredentialKind.ClientCertificate, network.TokenHash), Ct)).Should().BeNull();
        (await Store.FindNetworkAsync(new(PeerCredentialKind.BearerToken, new byte[32]), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Application_server_round_trips_is_unique_and_is_found_by_credential()
    {
        var server = ApplicationServer("as-1");
        var minimal = new ApplicationServer("as-2", null, new byte[] { 1, 2, 3 }, null, T0);
        (await Store.CreateApplicationServerAsync(server, Ct)).Should().BeTrue();
        (await Store.CreateApplicationServerAsync(minimal, Ct)).Should().BeTrue();
        (await Store.CreateApplicationServerAsync(ApplicationServer("as-1"), Ct)).Should().BeFalse();

        ShouldMatch(await Store.GetApplicationServerAsync("as-1", Ct), server);
        ShouldMatch(await Store.GetApplicationServerAsync("as-2", Ct), minimal);
        ShouldMatch(await Store.FindApplicationServerAsync(new(PeerCredentialKind.BearerToken, server.TokenHash.ToArray()), Ct), server);
        ShouldMatch(await Store.FindApplicationServerAsync(new(PeerCredentialKind.ClientCertificate, server.CertificateThumbprint!.Value.ToArray()), Ct), server);
        (await Store.FindApplicationServerAsync(new(PeerCredentialKind.ClientCertificate, server.TokenHash), Ct)).Should().BeNull();
        (await Store.GetApplicationServerAsync("as-3", Ct)).Should().BeNull();
    }

    // Devices.

    [Fact]
    public async Task Device_round_trips_every_field()
    {
        var device = FullDevice(NewDevEui());

        (await Store.CreateDevicesAsync([device], Ct)).Should().Equal(true);

        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(device with { Version = 1 });
    }

    [Fact]
    public async Task Device_round_trips_its_null_fields()
    {
        var device = Device(NewDevEui());

        await Store.CreateDevicesAsync([device], Ct);

        var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
        stored.Should().Be(device with { Version = 1 });
        stored!.Owner.Should().BeNull();
        stored.LastDevNonce.Should().BeNull();
        stored.ClaimCodeIssuer.Should().BeNull();
        (await Store.GetDeviceAsync(NewDevEui(), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Every_mac_version_round_trips()
    {
        var devices = MacVersion.All.Select(version => Device(NewDevEui()) with { MacVersion = version }).ToList();

        await Store.CreateDevicesAsync(devices, Ct);

        foreach (var device in devices)
        {
            (await Store.GetDeviceAsync(device.DevEui, Ct))!.MacVersion.Should().Be(device.MacVersion);
        }
    }

    [Fact]
    public async Task Create_devices_reports_per_item_and_writes_nothing_for_a_refused_item()
    {
        var existing = Device(NewDevEui(), maker: "first");
        await Store.CreateDevicesAsync([existing], Ct);
        var fresh = Device(NewDevEui(), maker: "first");
        var again = Device(existing.DevEui, maker: "second");
        var inBatchDuplicate = Device(fresh.DevEui, maker: "second");
        var last = Device(NewDevEui());

        var results = await Store.CreateDevicesAsync([fresh, again, inBatchDuplicate, last], Ct);

        results.Should().Equal(true, false, false, true);
        (await Store.GetDeviceAsync(existing.DevEui, Ct)).Should().Be(existing with { Version = 1 });
        (await Store.GetDeviceAsync(fresh.DevEui, Ct)).Should().Be(fresh with { Version = 1 });
        (await Store.GetDeviceAsync(last.DevEui, Ct)).Should().Be(last with { Version = 1 });
        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(3, 0));
    }

    [Fact]
    public async Task Create_devices_takes_thousands_in_one_call()
    {
        var devices = Enumerable.Range(0, 3000).Select(_ => Device(NewDevEui())).ToList();

        var results = await Store.CreateDevicesAsync(devices, Ct);

        results.Should().HaveCount(3000).And.AllSatisfy(created => created.Should().BeTrue());
        (await Store.CountDevicesAsync(Ct)).Unclaimed.Should().Be(3000);
        (await Store.GetDeviceAsync(devices[2999].DevEui, Ct)).Should().Be(devices[2999] with { Version = 1 });
    }

    [Fact]
    public async Task Create_devices_with_an_empty_list_returns_no_results()
    {
        (await Store.CreateDevicesAsync([], Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Update_device_stores_the_new_device_and_bumps_the_version()
    {
        var device = Device(NewDevEui());
        await Store.CreateDevicesAsync([device], Ct);
        var owner = new Ownership("owner", new NetId(0x000013), null, "as-1", T0);

        var updated = await Store.UpdateDeviceAsync(device.DevEui, d => d with { Owner = owner, OwnershipEpoch = d.OwnershipEpoch + 1 }, Ct);

        var expected = device with { Owner = owner, OwnershipEpoch = 1, Version = 2 };
        updated.Should().Be(expected);
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(expected);
        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(0, 1));
    }

    [Fact]
    public async Task Update_device_returning_null_leaves_it_unchanged()
    {
        var device = Device(NewDevEui());
        await Store.CreateDevicesAsync([device], Ct);

        var result = await Store.UpdateDeviceAsync(device.DevEui, _ => null, Ct);

        result.Should().Be(device with { Version = 1 });
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(device with { Version = 1 });
    }

    [Fact]
    public async Task Update_device_of_an_unknown_device_returns_null()
    {
        var called = false;

        var result = await Store.UpdateDeviceAsync(NewDevEui(), d => { called = true; return d; }, Ct);

        result.Should().BeNull();
        called.Should().BeFalse();
    }

    [Fact]
    public async Task Update_device_is_atomic_under_parallel_updates()
    {
        var device = Device(NewDevEui());
        await Store.CreateDevicesAsync([device], Ct);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(
            () => Store.UpdateDeviceAsync(device.DevEui, d => d with { NextJoinNonce = d.NextJoinNonce + 1 }, Ct), Ct)));

        var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
        stored!.NextJoinNonce.Should().Be(50);
        stored.Version.Should().Be(51);
    }

    // Joins.

    [Fact]
    public async Task Commit_join_stores_counters_nonce_session_and_event_and_bumps_the_version()
    {
        var device = await CreateAsync(FullDevice(NewDevEui()));
        var commit = Join(device, 0x0102);

        (await Store.CommitJoinAsync(commit, Ct)).Should().Be(JoinCommitResult.Committed);

        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(commit.Device with { Version = 2 });
        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(0x0102), Ct)).Should().BeTrue();
        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(0x0103), Ct)).Should().BeFalse();
        ShouldMatch(await Store.GetSessionAsync(device.DevEui, commit.Session.SessionKeyId.ToArray(), Ct), commit.Session);
        var events = await Store.ListEventsAsync(new EventQuery(device.MakerTenantId, null, null, 10), Ct);
        events.Should().ContainSingle().Which.Should().Be(commit.Event with { Id = events[0].Id });
    }

    [Fact]
    public async Task Commit_join_without_remembering_the_dev_nonce_stores_no_used_nonce()
    {
        var device = await CreateAsync(Device(NewDevEui()) with { MacVersion = MacVersion.V1_0_4 });

        (await Store.CommitJoinAsync(Join(device, 5, remember: false), Ct)).Should().Be(JoinCommitResult.Committed);

        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(5), Ct)).Should().BeFalse();
        (await Store.GetDeviceAsync(device.DevEui, Ct))!.LastDevNonce.Should().Be(new DevNonce(5));
    }

    [Fact]
    public async Task Commit_join_on_a_stale_version_is_a_conflict_and_writes_nothing()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        await Store.UpdateDeviceAsync(device.DevEui, d => d with { SerialNumber = "changed" }, Ct);
        var stale = Join(device, 7);

        (await Store.CommitJoinAsync(stale, Ct)).Should().Be(JoinCommitResult.Conflict);

        var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
        stored!.Version.Should().Be(2);
        stored.LastDevNonce.Should().BeNull();
        stored.NextJoinNonce.Should().Be(0);
        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(7), Ct)).Should().BeFalse();
        (await Store.GetSessionAsync(device.DevEui, stale.Session.SessionKeyId, Ct)).Should().BeNull();
        (await Store.ListEventsAsync(new EventQuery(device.MakerTenantId, null, null, 10), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Commit_join_of_an_unknown_device_is_a_conflict()
    {
        var device = Device(NewDevEui()) with { Version = 1 };

        (await Store.CommitJoinAsync(Join(device, 1), Ct)).Should().Be(JoinCommitResult.Conflict);

        (await Store.ListEventsAsync(new EventQuery(device.MakerTenantId, null, null, 10), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Parallel_commits_on_one_version_commit_exactly_once()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var commits = Enumerable.Range(1, 40).Select(n => Join(device, (ushort)n)).ToList();

        var results = await Task.WhenAll(commits.Select(c => Task.Run(() => Store.CommitJoinAsync(c, Ct), Ct)));

        results.Count(r => r == JoinCommitResult.Committed).Should().Be(1);
        var winner = commits[Array.IndexOf(results, JoinCommitResult.Committed)];
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(winner.Device with { Version = 2 });
        var sessions = await Task.WhenAll(commits.Select(c => Store.GetSessionAsync(device.DevEui, c.Session.SessionKeyId, Ct)));
        sessions.Count(s => s is not null).Should().Be(1);
        var used = await Task.WhenAll(commits.Select(c => Store.IsDevNonceUsedAsync(device.DevEui, c.DevNonce, Ct)));
        used.Count(u => u).Should().Be(1);
        (await Store.ListEventsAsync(new EventQuery(device.MakerTenantId, null, null, 100), Ct)).Should().ContainSingle();
    }

    [Fact]
    public async Task Parallel_commits_on_different_devices_all_commit()
    {
        var devices = new List<Device>();
        for (var i = 0; i < 30; i++)
        {
            devices.Add(await CreateAsync(Device(NewDevEui())));
        }

        var results = await Task.WhenAll(devices.Select(d => Task.Run(() => Store.CommitJoinAsync(Join(d, 1), Ct), Ct)));

        results.Should().AllSatisfy(r => r.Should().Be(JoinCommitResult.Committed));
        foreach (var device in devices)
        {
            (await Store.GetDeviceAsync(device.DevEui, Ct))!.Version.Should().Be(2);
        }
    }

    [Fact]
    public async Task Commits_in_sequence_each_build_on_the_last()
    {
        var device = await CreateAsync(Device(NewDevEui()));

        for (ushort nonce = 1; nonce <= 5; nonce++)
        {
            (await Store.CommitJoinAsync(Join(device, nonce), Ct)).Should().Be(JoinCommitResult.Committed);
            device = (await Store.GetDeviceAsync(device.DevEui, Ct))!;
        }

        device.NextJoinNonce.Should().Be(5);
        device.Version.Should().Be(6);
        (await Store.ListEventsAsync(new EventQuery(device.MakerTenantId, device.DevEui, null, 100), Ct)).Should().HaveCount(5);
    }

    [Fact]
    public async Task Reset_dev_nonces_forgets_used_nonces_and_the_last_one()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var other = await CreateAsync(Device(NewDevEui()));
        await Store.CommitJoinAsync(Join(device, 9), Ct);
        await Store.CommitJoinAsync(Join(other, 9), Ct);

        var reset = await Store.ResetDevNoncesAsync(device.DevEui, Ct);

        reset!.LastDevNonce.Should().BeNull();
        reset.Version.Should().Be(3);
        reset.NextJoinNonce.Should().Be(1, "the JoinNonce keeps counting");
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(reset);
        (await Store.IsDevNonceUsedAsync(device.DevEui, new DevNonce(9), Ct)).Should().BeFalse();
        (await Store.IsDevNonceUsedAsync(other.DevEui, new DevNonce(9), Ct)).Should().BeTrue();
        (await Store.ResetDevNoncesAsync(NewDevEui(), Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Session_is_found_only_by_its_device_and_id()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var other = await CreateAsync(Device(NewDevEui()));
        var commit = Join(device, 1, sessionKeyId: [1, 2, 3, 4]);
        await Store.CommitJoinAsync(commit, Ct);
        var secondRead = (await Store.GetDeviceAsync(device.DevEui, Ct))!;
        var second = Join(secondRead, 2, sessionKeyId: [5, 6, 7, 8]);
        await Store.CommitJoinAsync(second, Ct);

        ShouldMatch(await Store.GetSessionAsync(device.DevEui, new byte[] { 1, 2, 3, 4 }, Ct), commit.Session);
        ShouldMatch(await Store.GetSessionAsync(device.DevEui, new byte[] { 5, 6, 7, 8 }, Ct), second.Session);
        (await Store.GetSessionAsync(device.DevEui, new byte[] { 1, 2, 3 }, Ct)).Should().BeNull();
        (await Store.GetSessionAsync(other.DevEui, new byte[] { 1, 2, 3, 4 }, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task Count_devices_counts_by_state()
    {
        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(0, 0));
        await Store.CreateDevicesAsync([Device(NewDevEui()), Device(NewDevEui()), FullDevice(NewDevEui())], Ct);

        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(2, 1));
    }

    // Events.

    [Fact]
    public async Task Event_round_trips_every_field_and_its_null_fields()
    {
        var full = Event("t1", NewDevEui());
        var bare = new AuditEvent(99, T0.AddSeconds(1), "t1", AuditEventTypes.DeviceProvisioned, null, null, null, null);

        var fullId = await Store.AppendEventAsync(full, Ct);
        var bareId = await Store.AppendEventAsync(bare, Ct);

        bareId.Should().BeGreaterThan(fullId);
        var events = await Store.ListEventsAsync(new EventQuery("t1", null, null, 10), Ct);
        events.Should().Equal(bare with { Id = bareId }, full with { Id = fullId });
    }

    [Fact]
    public async Task Append_events_appends_them_all_in_order()
    {
        var devEui = NewDevEui();
        var events = Enumerable.Range(0, 500)
            .Select(i => new AuditEvent(0, T0.AddSeconds(i), "t1", AuditEventTypes.DeviceProvisioned, i % 2 == 0 ? devEui : null, $"c{i}", null, "maker"))
            .ToList();

        await Store.AppendEventsAsync(events, Ct);
        await Store.AppendEventsAsync([], Ct);

        var listed = await Store.ListEventsAsync(new EventQuery("t1", null, null, 1000), Ct);
        listed.Select(e => e with { Id = 0 }).Should().Equal(Enumerable.Reverse(events));
        listed.Select(e => e.Id).Should().BeInDescendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Events_list_newest_first_by_tenant_and_device_in_pages()
    {
        var device = NewDevEui();
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Store.AppendEventAsync(Event("t1", i % 2 == 0 ? device : NewDevEui()), Ct));
            await Store.AppendEventAsync(Event("t2", device), Ct);
        }
        ids.Reverse();

        var first = await Store.ListEventsAsync(new EventQuery("t1", null, null, 3), Ct);
        var second = await Store.ListEventsAsync(new EventQuery("t1", null, first[^1].Id, 3), Ct);
        var rest = await Store.ListEventsAsync(new EventQuery("t1", null, second[^1].Id, 3), Ct);
        var ofDevice = await Store.ListEventsAsync(new EventQuery("t1", device, null, 10), Ct);
        var ofDeviceBefore = await Store.ListEventsAsync(new EventQuery("t1", device, ids[0], 2), Ct);

        first.Select(e => e.Id).Should().Equal(ids[0], ids[1], ids[2]);
        second.Select(e => e.Id).Should().Equal(ids[3], ids[4], ids[5]);
        rest.Select(e => e.Id).Should().Equal(ids[6]);
        ofDevice.Select(e => e.Id).Should().Equal(ids[0], ids[2], ids[4], ids[6]);
        ofDevice.Should().AllSatisfy(e => e.TenantId.Should().Be("t1"));
        ofDeviceBefore.Select(e => e.Id).Should().Equal(ids[2], ids[4]);
        (await Store.ListEventsAsync(new EventQuery("t3", null, null, 10), Ct)).Should().BeEmpty();
    }

    /// <summary>
    /// For the engines that group commits: a commit that breaks a constraint (a session id used twice for one
    /// device) fails, and the commits grouped with it still commit. (The in-memory fake checks no such constraint.)
    /// </summary>
    protected async Task FailingCommitFailsAloneAsync<TException>()
        where TException : Exception
    {
        var victim = await CreateAsync(Device(NewDevEui()));
        await Store.CommitJoinAsync(Join(victim, 1, sessionKeyId: [9, 9]), Ct);
        victim = (await Store.GetDeviceAsync(victim.DevEui, Ct))!;
        var others = new List<Device>();
        for (var i = 0; i < 20; i++)
        {
            others.Add(await CreateAsync(Device(NewDevEui())));
        }

        // The same session id again for the victim breaks the sessions primary key: that commit throws.
        var bad = Task.Run(() => Store.CommitJoinAsync(Join(victim, 2, sessionKeyId: [9, 9]), Ct), Ct);
        var good = others.Select(d => Task.Run(() => Store.CommitJoinAsync(Join(d, 1), Ct), Ct)).ToList();

        await FluentActions.Awaiting(() => bad).Should().ThrowAsync<TException>();
        (await Task.WhenAll(good)).Should().AllSatisfy(r => r.Should().Be(JoinCommitResult.Committed));
        var stored = await Store.GetDeviceAsync(victim.DevEui, Ct);
        stored!.Version.Should().Be(victim.Version, "the failed commit was rolled back");
        (await Store.IsDevNonceUsedAsync(victim.DevEui, new DevNonce(2), Ct)).Should().BeFalse();
    }

    protected async Task<Device> CreateAsync(Device device)
    {
        (await Store.CreateDevicesAsync([device], Ct)).Should().Equal(true);
        return (await Store.GetDeviceAsync(device.DevEui, Ct))!;
    }

    protected static void ShouldMatch(Network? actual, Network expected)
    {
        actual.Should().NotBeNull();
        actual!.NetId.Should().Be(expected.NetId);
        actual.NsId.Should().Be(expected.NsId);
        actual.Name.Should().Be(expected.Name);
        actual.Kek.Should().Be(expected.Kek);
        actual.TokenHash.ToArray().Should().Equal(expected.TokenHash.ToArray());
        actual.CertificateThumbprint.HasValue.Should().Be(expected.CertificateThumbprint.HasValue);
        (actual.CertificateThumbprint?.ToArray() ?? []).Should().Equal(expected.CertificateThumbprint?.ToArray() ?? []);
        actual.CreatedAt.Should().Be(expected.CreatedAt);
        actual.AppSKeyMode.Should().Be(expected.AppSKeyMode);
    }

    protected static void ShouldMatch(ApplicationServer? actual, ApplicationServer expected)
    {
        actual.Should().NotBeNull();
        actual!.AsId.Should().Be(expected.AsId);
        actual.Kek.Should().Be(expected.Kek);
        actual.TokenHash.ToArray().Should().Equal(expected.TokenHash.ToArray());
        actual.CertificateThumbprint.HasValue.Should().Be(expected.CertificateThumbprint.HasValue);
        (actual.CertificateThumbprint?.ToArray() ?? []).Should().Equal(expected.CertificateThumbprint?.ToArray() ?? []);
        actual.CreatedAt.Should().Be(expected.CreatedAt);
    }

    protected static void ShouldMatch(JoinSession? actual, JoinSession expected)
    {
        actual.Should().NotBeNull();
        actual!.DevEui.Should().Be(expected.DevEui);
        actual.SessionKeyId.ToArray().Should().Equal(expected.SessionKeyId.ToArray());
        actual.OwnershipEpoch.Should().Be(expected.OwnershipEpoch);
        actual.NetId.Should().Be(expected.NetId);
        actual.AsId.Should().Be(expected.AsId);
        actual.AppSKey.Should().Be(expected.AppSKey);
        actual.CreatedAt.Should().Be(expected.CreatedAt);
        actual.ExpiresAt.Should().Be(expected.ExpiresAt);
    }
}

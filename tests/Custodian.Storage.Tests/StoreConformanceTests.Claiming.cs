using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Core.Tenancy;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>The claiming part of the contract: batches of device changes, owned devices, routed claims, certificate keys.</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>DevEUIs on both sides of the signed boundary, in unsigned order (the stores keep them signed).</summary>
    private static readonly DevEui[] AcrossTheBoundary =
    [
        new(0x0000000000000000), new(0x0000000000000001), new(0x7FFFFFFFFFFFFFFE), new(0x7FFFFFFFFFFFFFFF),
        new(0x8000000000000000), new(0x8000000000000001), new(0xFFFFFFFFFFFFFFFE), new(0xFFFFFFFFFFFFFFFF),
    ];

    // The claim fields of a device.

    [Fact]
    public async Task Claim_fields_round_trip_through_create_update_and_a_join()
    {
        var device = await CreateAsync(FullDevice(NewDevEui()));
        device.FailedClaims.Should().Be(6);
        device.ClaimLockedUntil.Should().Be(T0.AddMinutes(2).AddTicks(30));
        device.Owner!.Locked.Should().BeFalse();

        var updated = await Store.UpdateDeviceAsync(
            device.DevEui,
            d => d with { FailedClaims = 0, ClaimLockedUntil = null, Owner = d.Owner! with { Locked = true } },
            Ct);
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(updated);
        updated!.Owner!.Locked.Should().BeTrue();
        updated.ClaimLockedUntil.Should().BeNull();

        var locked = await Store.UpdateDeviceAsync(device.DevEui, d => d with { FailedClaims = 9, ClaimLockedUntil = T0.AddHours(24) }, Ct);
        var commit = Join(locked!, 3);
        (await Store.CommitJoinAsync(commit, Ct)).Should().Be(JoinCommitResult.Committed);

        var joined = await Store.GetDeviceAsync(device.DevEui, Ct);
        joined.Should().Be(commit.Device with { Version = locked!.Version + 1 });
        joined!.FailedClaims.Should().Be(9);
        joined.ClaimLockedUntil.Should().Be(T0.AddHours(24));
        joined.Owner!.Locked.Should().BeTrue();
    }

    [Fact]
    public async Task Claim_code_issuer_round_trips_through_create_update_a_batch_of_changes_and_a_join()
    {
        var device = await CreateAsync(FullDevice(NewDevEui()));
        var plain = await CreateAsync(Device(NewDevEui()));
        device.ClaimCodeIssuer.Should().Be("reseller");
        plain.ClaimCodeIssuer.Should().BeNull();

        var updated = await Store.UpdateDeviceAsync(device.DevEui, d => d with { ClaimCodeIssuer = null }, Ct);
        updated!.ClaimCodeIssuer.Should().BeNull();
        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(updated);

        // One batch writes both (the engines' bulk update), one issuer set and one cleared.
        await Store.ApplyDeviceChangesAsync(
            [
                new DeviceChange(device.DevEui, d => new DeviceDecision(d! with { ClaimCodeIssuer = "owner-2" }, [])),
                new DeviceChange(plain.DevEui, d => new DeviceDecision(d! with { ClaimCodeIssuer = "owner-3" }, [])),
                new DeviceChange(plain.DevEui, d => new DeviceDecision(d! with { ClaimCodeIssuer = null, FailedClaims = 1 }, [])),
            ],
            Ct);
        var batched = await Store.GetDeviceAsync(device.DevEui, Ct);
        batched.Should().Be(updated with { ClaimCodeIssuer = "owner-2", Version = updated.Version + 1 });
        (await Store.GetDeviceAsync(plain.DevEui, Ct)).Should().Be(plain with { FailedClaims = 1, Version = plain.Version + 2 });

        var commit = Join(batched!, 5);
        (await Store.CommitJoinAsync(commit, Ct)).Should().Be(JoinCommitResult.Committed);

        var joined = await Store.GetDeviceAsync(device.DevEui, Ct);
        joined.Should().Be(commit.Device with { Version = batched!.Version + 1 });
        joined!.ClaimCodeIssuer.Should().Be("owner-2");
    }

    [Fact]
    public async Task An_unlocked_claim_of_a_new_device_round_trips()
    {
        var device = Device(NewDevEui()) with { Owner = new Ownership("owner", new NetId(0x000013), null, null, T0, Locked: false) };

        await Store.CreateDevicesAsync([device], Ct);

        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(device with { Version = 1 });
    }

    // API keys presented as client certificates.

    [Fact]
    public async Task Api_key_is_found_by_its_certificate_thumbprint()
    {
        await Store.CreateTenantAsync(Tenant("acme"), Ct);
        var thumbprint = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        var withCertificate = ApiKey("acme", ApiRights.DevicesClaim, thumbprint);
        var plain = ApiKey("acme", ApiRights.DevicesRead);
        var alsoPlain = ApiKey("acme", ApiRights.DevicesRead);
        await Store.CreateApiKeyAsync(withCertificate, Ct);
        await Store.CreateApiKeyAsync(plain, Ct);
        await Store.CreateApiKeyAsync(alsoPlain, Ct);

        var found = await Store.FindApiKeyByCertificateAsync(thumbprint.ToArray(), Ct);

        found.Should().NotBeNull();
        found!.Id.Should().Be(withCertificate.Id);
        found.Rights.Should().Be(ApiRights.DevicesClaim);
        found.CertificateThumbprint!.Value.ToArray().Should().Equal(thumbprint);
        (await Store.FindApiKeyAsync(withCertificate.SecretHash, Ct))!.CertificateThumbprint!.Value.ToArray().Should().Equal(thumbprint);
        (await Store.FindApiKeyAsync(plain.SecretHash, Ct))!.CertificateThumbprint.Should().BeNull();
        (await Store.FindApiKeyByCertificateAsync(new byte[32], Ct)).Should().BeNull();
        (await Store.FindApiKeyByCertificateAsync(withCertificate.SecretHash, Ct)).Should().BeNull();
    }

    // Batches of device changes.

    [Fact]
    public async Task Apply_device_changes_lets_each_decision_see_the_earlier_changes_of_the_call()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var seen = new List<(int FailedClaims, long Version)>();

        await Store.ApplyDeviceChangesAsync(
            [.. Enumerable.Range(0, 3).Select(i => new DeviceChange(device.DevEui, d =>
            {
                seen.Add((d!.FailedClaims, d.Version));
                return new DeviceDecision(d with { FailedClaims = d.FailedClaims + 1 }, [Event("maker", d.DevEui, $"test.{i}")]);
            }))],
            Ct);

        seen.Should().Equal((0, 1L), (1, 2L), (2, 3L));
        var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
        stored.Should().Be(device with { FailedClaims = 3, Version = 4 });
        var events = await Store.ListEventsAsync(new EventQuery("maker", device.DevEui, null, 10), Ct);
        events.Select(e => e.Type).Should().Equal("test.2", "test.1", "test.0");
    }

    [Fact]
    public async Task Apply_device_changes_appends_the_events_in_order_across_devices_and_tenants()
    {
        var first = await CreateAsync(Device(NewDevEui()));
        var second = await CreateAsync(Device(NewDevEui()));
        var expected = new List<AuditEvent>();
        var changes = new List<DeviceChange>();
        for (var i = 0; i < 6; i++)
        {
            var devEui = i % 2 == 0 ? first.DevEui : second.DevEui;
            var writes = i == 3;
            var events = new[]
            {
                new AuditEvent(0, T0.AddSeconds(i), "a", $"test.{i}.a", devEui, $"c{i}", "detail", "actor"),
                new AuditEvent(0, T0.AddSeconds(i), "b", $"test.{i}.b", devEui, null, null, null),
            };
            expected.AddRange(events);
            changes.Add(new DeviceChange(devEui, d => new DeviceDecision(writes ? d : null, events)));
        }

        await Store.ApplyDeviceChangesAsync(changes, Ct);

        var listedA = await Store.ListEventsAsync(new EventQuery("a", null, null, 100), Ct);
        var listedB = await Store.ListEventsAsync(new EventQuery("b", null, null, 100), Ct);
        var all = listedA.Concat(listedB).OrderBy(e => e.Id).ToList();
        all.Select(e => e with { Id = 0 }).Should().Equal(expected);
        all.Select(e => e.Id).Should().OnlyHaveUniqueItems();
        (await Store.GetDeviceAsync(first.DevEui, Ct))!.Version.Should().Be(1, "no decision wrote it");
        (await Store.GetDeviceAsync(second.DevEui, Ct))!.Version.Should().Be(2, "one decision wrote it unchanged");
    }

    [Fact]
    public async Task Apply_device_changes_ignores_a_write_for_a_missing_device_but_keeps_its_events()
    {
        var missing = NewDevEui();
        var existing = await CreateAsync(Device(NewDevEui()));
        Device? seen = Device(NewDevEui());

        await Store.ApplyDeviceChangesAsync(
            [
                new DeviceChange(missing, d =>
                {
                    seen = d;
                    return new DeviceDecision(Device(missing) with { SerialNumber = "ghost" }, [Event("maker", missing, AuditEventTypes.ClaimFailed)]);
                }),
                new DeviceChange(existing.DevEui, d => new DeviceDecision(d! with { SerialNumber = "real" }, [])),
            ],
            Ct);

        seen.Should().BeNull();
        (await Store.GetDeviceAsync(missing, Ct)).Should().BeNull();
        (await Store.GetDeviceAsync(existing.DevEui, Ct)).Should().Be(existing with { SerialNumber = "real", Version = 2 });
        (await Store.ListEventsAsync(new EventQuery("maker", missing, null, 10), Ct)).Should().ContainSingle()
            .Which.Type.Should().Be(AuditEventTypes.ClaimFailed);
        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(1, 0));
    }

    [Fact]
    public async Task Apply_device_changes_keeps_the_devices_own_eui_and_stores_every_field()
    {
        var device = await CreateAsync(Device(NewDevEui()));
        var owner = new Ownership("owner", new NetId(0xC00053), "ns", "as", T0.AddDays(1), Locked: false);

        var write = FullDevice(NewDevEui()) with { Owner = owner, Version = 99 };

        await Store.ApplyDeviceChangesAsync([new DeviceChange(device.DevEui, _ => new DeviceDecision(write, []))], Ct);

        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(write with { DevEui = device.DevEui, Version = 2 });
        (await Store.GetDeviceAsync(write.DevEui, Ct)).Should().BeNull();
        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(0, 1));
    }

    [Fact]
    public async Task Apply_device_changes_with_nothing_to_change_writes_nothing()
    {
        var device = await CreateAsync(Device(NewDevEui()));

        await Store.ApplyDeviceChangesAsync([], Ct);
        await Store.ApplyDeviceChangesAsync([new DeviceChange(device.DevEui, _ => DeviceDecision.Nothing)], Ct);

        (await Store.GetDeviceAsync(device.DevEui, Ct)).Should().Be(device);
        (await Store.ListEventsAsync(new EventQuery("maker", null, null, 10), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_device_changes_is_one_transaction_a_decision_that_throws_stores_nothing()
    {
        var first = await CreateAsync(Device(NewDevEui()));
        var second = await CreateAsync(Device(NewDevEui()));

        var apply = () => Store.ApplyDeviceChangesAsync(
            [
                new DeviceChange(first.DevEui, d => new DeviceDecision(d! with { SerialNumber = "changed" }, [Event("maker", d.DevEui)])),
                new DeviceChange(second.DevEui, _ => throw new InvalidOperationException("decision failed")),
            ],
            Ct);

        await apply.Should().ThrowAsync<InvalidOperationException>();
        (await Store.GetDeviceAsync(first.DevEui, Ct)).Should().Be(first);
        (await Store.ListEventsAsync(new EventQuery("maker", null, null, 10), Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_device_changes_claims_a_thousand_devices_in_one_call()
    {
        var devices = Enumerable.Range(0, 1000).Select(_ => Device(NewDevEui())).ToList();
        await Store.CreateDevicesAsync(devices, Ct);
        var owner = new Ownership("buyer", new NetId(0x000013), null, "as-1", T0);

        await Store.ApplyDeviceChangesAsync(
            [.. devices.Select(device => new DeviceChange(device.DevEui, d => new DeviceDecision(
                d! with { Owner = owner, OwnershipEpoch = d.OwnershipEpoch + 1 },
                [Event("buyer", d.DevEui, AuditEventTypes.ClaimSucceeded), Event("maker", d.DevEui, AuditEventTypes.DeviceClaimed)])))],
            Ct);

        (await Store.CountDevicesAsync(Ct)).Should().Be(new DeviceCounts(0, 1000));
        (await Store.GetDeviceAsync(devices[999].DevEui, Ct)).Should().Be(devices[999] with { Owner = owner, OwnershipEpoch = 1, Version = 2 });
        (await Store.ListEventsAsync(new EventQuery("buyer", null, null, 2000), Ct)).Should().HaveCount(1000);
        (await Store.ListEventsAsync(new EventQuery("maker", null, null, 2000), Ct)).Should().HaveCount(1000);
        (await Store.ListOwnedDevicesAsync("buyer", null, 2000, Ct)).Should().HaveCount(1000);
    }

    [Fact]
    public async Task Two_calls_claiming_one_device_at_once_claim_it_exactly_once()
    {
        await ClaimRaceAsync(Store, Store);
    }

    /// <summary>
    /// Rounds of two concurrent calls, through <paramref name="first"/> and <paramref name="second"/>, each claiming
    /// one fresh device for its own tenant if it is still unclaimed: exactly one sees it unclaimed and wins.
    /// </summary>
    protected async Task ClaimRaceAsync(ICustodianStore first, ICustodianStore second)
    {
        for (var round = 0; round < 20; round++)
        {
            var device = await CreateAsync(Device(NewDevEui()));
            var wins = new int[2];

            Task Claim(ICustodianStore store, int caller) => Task.Run(() => store.ApplyDeviceChangesAsync(
                [
                    new DeviceChange(device.DevEui, d =>
                    {
                        if (d!.Owner is not null)
                        {
                            Volatile.Write(ref wins[caller], 0);
                            return new DeviceDecision(null, [Event($"tenant-{caller}", d.DevEui, AuditEventTypes.ClaimFailed)]);
                        }
                        Volatile.Write(ref wins[caller], 1);
                        var owner = new Ownership($"tenant-{caller}", new NetId(0x000013), null, null, T0);
                        return new DeviceDecision(d with { Owner = owner, OwnershipEpoch = d.OwnershipEpoch + 1 }, [Event($"tenant-{caller}", d.DevEui, AuditEventTypes.ClaimSucceeded)]);
                    }),
                ],
                Ct), Ct);

            await Task.WhenAll(Claim(first, 0), Claim(second, 1));

            wins.Sum().Should().Be(1, $"round {round}");
            var winner = Array.IndexOf(wins, 1);
            var stored = await Store.GetDeviceAsync(device.DevEui, Ct);
            stored!.Owner!.TenantId.Should().Be($"tenant-{winner}");
            stored.OwnershipEpoch.Should().Be(1);
            stored.Version.Should().Be(2);
            (await Store.ListEventsAsync(new EventQuery($"tenant-{winner}", device.DevEui, null, 10), Ct)).Should().ContainSingle()
                .Which.Type.Should().Be(AuditEventTypes.ClaimSucceeded);
            (await Store.ListEventsAsync(new EventQuery($"tenant-{1 - winner}", device.DevEui, null, 10), Ct)).Should().ContainSingle()
                .Which.Type.Should().Be(AuditEventTypes.ClaimFailed);
        }
    }

    // Owned devices.

    [Fact]
    public async Task Owned_devices_list_in_unsigned_dev_eui_order_across_the_signed_boundary()
    {
        await Store.CreateDevicesAsync([.. AcrossTheBoundary.Reverse().Select(e => OwnedDevice(e, "owner"))], Ct);
        await Store.CreateDevicesAsync([OwnedDevice(NewDevEui(), "other"), Device(NewDevEui())], Ct);

        var all = await Store.ListOwnedDevicesAsync("owner", null, 100, Ct);

        all.Select(d => d.DevEui).Should().Equal(AcrossTheBoundary);
        all.Should().AllSatisfy(d => d.Owner!.TenantId.Should().Be("owner"));
        (await Store.ListOwnedDevicesAsync("nobody", null, 100, Ct)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public async Task Owned_devices_page_with_after(int limit)
    {
        await Store.CreateDevicesAsync([.. AcrossTheBoundary.Select(e => OwnedDevice(e, "owner"))], Ct);

        var pages = await PageAsync(after => Store.ListOwnedDevicesAsync("owner", after, limit, Ct), d => d.DevEui, limit);

        pages.Should().Equal(AcrossTheBoundary);
    }

    [Fact]
    public async Task Owned_devices_after_each_boundary_value()
    {
        await Store.CreateDevicesAsync([.. AcrossTheBoundary.Select(e => OwnedDevice(e, "owner"))], Ct);

        for (var i = 0; i < AcrossTheBoundary.Length; i++)
        {
            var listed = await Store.ListOwnedDevicesAsync("owner", AcrossTheBoundary[i], 100, Ct);
            listed.Select(d => d.DevEui).Should().Equal(AcrossTheBoundary.Skip(i + 1), $"after {AcrossTheBoundary[i]}");
        }
        (await Store.ListOwnedDevicesAsync("owner", new DevEui(0x7FFFFFFFFFFFFFF0), 100, Ct)).Select(d => d.DevEui)
            .Should().Equal(AcrossTheBoundary.Skip(2));
        (await Store.ListOwnedDevicesAsync("owner", null, 0, Ct)).Should().BeEmpty();
    }

    // Routed claims.

    [Fact]
    public async Task Routed_claim_round_trips_and_a_put_replaces_it()
    {
        var claim = RoutedClaim(new DevEui(0xFFFFFFFFFFFFFFF0), "acme");
        var bare = RoutedClaim(NewDevEui(), "acme", locked: false) with { HomeNsId = null, AsId = null };

        await Store.PutRoutedClaimAsync(claim, Ct);
        await Store.PutRoutedClaimAsync(bare, Ct);

        (await Store.GetRoutedClaimAsync(claim.DevEui, Ct)).Should().Be(claim);
        (await Store.GetRoutedClaimAsync(bare.DevEui, Ct)).Should().Be(bare);
        (await Store.GetRoutedClaimAsync(NewDevEui(), Ct)).Should().BeNull();

        var replaced = claim with
        {
            JoinEui = new JoinEui(0x0000000000000002),
            TenantId = "other",
            JoinServer = "elsewhere",
            HomeNetId = new NetId(0x000013),
            HomeNsId = null,
            AsId = "as-2",
            Locked = false,
            ClaimedAt = T0.AddDays(1),
        };
        await Store.PutRoutedClaimAsync(replaced, Ct);

        (await Store.GetRoutedClaimAsync(claim.DevEui, Ct)).Should().Be(replaced);
        (await Store.ListRoutedClaimsAsync("acme", null, 10, Ct)).Should().Equal(bare);
        (await Store.ListRoutedClaimsAsync("other", null, 10, Ct)).Should().Equal(replaced);
    }

    [Fact]
    public async Task Routed_claim_is_deleted_only_by_the_tenant_that_holds_it()
    {
        var claim = RoutedClaim(NewDevEui(), "acme");
        await Store.PutRoutedClaimAsync(claim, Ct);

        (await Store.DeleteRoutedClaimAsync(claim.DevEui, "other", Ct)).Should().BeFalse();
        (await Store.GetRoutedClaimAsync(claim.DevEui, Ct)).Should().Be(claim);

        (await Store.DeleteRoutedClaimAsync(claim.DevEui, "acme", Ct)).Should().BeTrue();
        (await Store.GetRoutedClaimAsync(claim.DevEui, Ct)).Should().BeNull();
        (await Store.DeleteRoutedClaimAsync(claim.DevEui, "acme", Ct)).Should().BeFalse();
        (await Store.DeleteRoutedClaimAsync(NewDevEui(), "acme", Ct)).Should().BeFalse();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task Routed_claims_list_per_tenant_in_unsigned_order_and_page_with_after(int limit)
    {
        foreach (var devEui in AcrossTheBoundary.Reverse())
        {
            await Store.PutRoutedClaimAsync(RoutedClaim(devEui, "acme"), Ct);
        }
        await Store.PutRoutedClaimAsync(RoutedClaim(NewDevEui(), "other"), Ct);

        var pages = await PageAsync(after => Store.ListRoutedClaimsAsync("acme", after, limit, Ct), c => c.DevEui, limit);

        pages.Should().Equal(AcrossTheBoundary);
        (await Store.ListRoutedClaimsAsync("acme", new DevEui(0x7FFFFFFFFFFFFFFF), 100, Ct)).Select(c => c.DevEui)
            .Should().Equal(AcrossTheBoundary.Skip(4));
        (await Store.ListRoutedClaimsAsync("acme", new DevEui(0xFFFFFFFFFFFFFFFF), 100, Ct)).Should().BeEmpty();
        (await Store.ListRoutedClaimsAsync("nobody", null, 100, Ct)).Should().BeEmpty();
    }

    /// <summary>Every item, page by page (each page at most <paramref name="limit"/> long), each page after the last one's DevEUI.</summary>
    private static async Task<List<DevEui>> PageAsync<T>(Func<DevEui?, Task<IReadOnlyList<T>>> list, Func<T, DevEui> devEui, int limit)
    {
        var all = new List<DevEui>();
        DevEui? after = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await list(after);
            page.Count.Should().BeLessThanOrEqualTo(limit);
            if (page.Count == 0)
            {
                return all;
            }
            all.AddRange(page.Select(devEui));
            after = devEui(page[^1]);
        }
        throw new InvalidOperationException("Paging did not end.");
    }
}

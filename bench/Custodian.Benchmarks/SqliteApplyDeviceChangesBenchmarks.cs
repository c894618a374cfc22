using BenchmarkDotNet.Attributes;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Lorawan;
using Custodian.Storage.Sqlite;

namespace Custodian.Benchmarks;

/// <summary>
/// A claim batch on SQLite: one <see cref="IDeviceRegistry.ApplyDeviceChangesAsync"/> call of 1,000 changes, each
/// reading its device, writing it (claimed or released, alternately) and appending two events (the claimant's and
/// the maker's), all in one writer transaction. One operation = one whole batch.
/// Run: <c>dotnet run -c Release --project bench/Custodian.Benchmarks -- --filter '*SqliteApplyDeviceChanges*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class SqliteApplyDeviceChangesBenchmarks
{
    private const int BatchSize = 1000;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SealedSecret Secret = new("kek", new byte[24]);
    private static readonly Ownership Owner = new("buyer", new NetId(0x13), null, "as", Now);

    private DeviceChange[] _changes = [];
    private string _directory = "";
    private SqliteCustodianStore _store = null!;

    [Params(Durability.Process, Durability.Full)]
    public Durability Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("custodian-bench-").FullName;
        _store = SqliteCustodianStore.Create(_directory, Durability);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        // A realistic table: the batch's devices among 100,000 others.
        var devices = Enumerable.Range(0, 100_000).Select(i => new Device
        {
            DevEui = new DevEui(0x70B3D57ED0000000UL + ((ulong)i * 7919 % 100_000)),
            JoinEui = new JoinEui(0x70B3D57ED0000000UL),
            MacVersion = MacVersion.V1_0_3,
            MakerTenantId = "maker",
            RootKeys = Secret,
            ClaimCode = Secret,
            SerialNumber = $"SN-{i:D8}",
            CreatedAt = Now,
        }).ToList();
        _store.CreateDevicesAsync(devices, CancellationToken.None).GetAwaiter().GetResult();
        _changes = [.. devices.Take(BatchSize).Select(d => new DeviceChange(d.DevEui, Toggle))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public Task ApplyDeviceChanges() => _store.ApplyDeviceChangesAsync(_changes, CancellationToken.None);

    private static DeviceDecision Toggle(Device? device)
    {
        var claimed = device!.Owner is null;
        var written = device with { Owner = claimed ? Owner : null, OwnershipEpoch = device.OwnershipEpoch + 1, FailedClaims = 0 };
        return new DeviceDecision(written,
        [
            new AuditEvent(0, Now, "buyer", claimed ? AuditEventTypes.ClaimSucceeded : AuditEventTypes.Unclaimed, device.DevEui, null, "detail", "key_1"),
            new AuditEvent(0, Now, "maker", AuditEventTypes.DeviceClaimed, device.DevEui, null, null, "key_1"),
        ]);
    }
}

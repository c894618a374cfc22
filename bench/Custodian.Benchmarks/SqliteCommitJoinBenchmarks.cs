using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Custodian.Core.Custody;
using Custodian.Core.Devices;
using Custodian.Core.Events;
using Custodian.Core.Storage;
using Custodian.Lorawan;
using Custodian.Storage.Sqlite;

namespace Custodian.Benchmarks;

/// <summary>
/// Join commits per second on SQLite through the group-commit writer: 64 concurrent callers, each committing
/// joins one after another on its own device (as 64 in-flight JoinReqs would). One operation = one commit.
/// Run: <c>dotnet run -c Release --project bench/Custodian.Benchmarks -- --filter '*SqliteCommitJoin*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class SqliteCommitJoinBenchmarks
{
    private const int Callers = 64;
    private const int CommitsPerCaller = 200;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly SealedSecret Secret = new("kek", new byte[24]);

    private readonly Device[] _devices = new Device[Callers];
    private string _directory = "";
    private SqliteCustodianStore _store = null!;
    private long _sessionCounter;

    [Params(Durability.Process, Durability.Full)]
    public Durability Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("custodian-bench-").FullName;
        _store = SqliteCustodianStore.Create(_directory, Durability);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        var devices = Enumerable.Range(0, Callers).Select(i => new Device
        {
            DevEui = new DevEui(0x70B3D57ED0000000UL + (ulong)i),
            JoinEui = new JoinEui(0x70B3D57ED0000000UL),
            MacVersion = MacVersion.V1_0_3,
            MakerTenantId = "maker",
            RootKeys = Secret,
            ClaimCode = Secret,
            CreatedAt = Now,
        }).ToList();
        _store.CreateDevicesAsync(devices, CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < Callers; i++)
        {
            _devices[i] = devices[i] with { Version = 1 };
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Callers * CommitsPerCaller)]
    public Task CommitJoin() => Task.WhenAll(Enumerable.Range(0, Callers).Select(i => Task.Run(() => CallerAsync(i))));

    private async Task CallerAsync(int index)
    {
        var device = _devices[index];
        for (var n = 0; n < CommitsPerCaller; n++)
        {
            var nonce = new DevNonce((ushort)(device.NextJoinNonce & 0xFFFF));
            var next = device with { LastDevNonce = nonce, NextJoinNonce = device.NextJoinNonce + 1, LastJoinAt = Now };
            var sessionKeyId = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(sessionKeyId, Interlocked.Increment(ref _sessionCounter));
            var commit = new JoinCommit(
                next,
                device.Version,
                nonce,
                RememberDevNonce: true,
                new JoinSession(device.DevEui, sessionKeyId, 0, new NetId(0x13), "as", Secret, Now, Now.AddDays(7)),
                new AuditEvent(0, Now, "maker", AuditEventTypes.JoinAccepted, device.DevEui, "Success", null, "network:000013"));
            if (await _store.CommitJoinAsync(commit, CancellationToken.None) != JoinCommitResult.Committed)
            {
                throw new InvalidOperationException("A commit on an unchanged device conflicted.");
            }
            device = next with { Version = device.Version + 1 };
        }
        _devices[index] = device;
    }
}

using Custodian.Fuzz;
using SharpFuzz;

// Usage: Custodian.Fuzz <target>, under afl-fuzz (fuzz/run.sh). Each input arrives on AFL++'s shared memory; an
// exception that escapes the target is reported to AFL++ as a crash.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: Custodian.Fuzz <target>; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;

using Custodian.LoadGenerator;

// The load generator's commands; bench/joins/run.sh and bench/claims/run.sh show them in use.
const string Usage = """
    usage: Custodian.LoadGenerator <command> [--option value]...
      prepare       --server URL --admin-key KEY --devices N --requests M --out FILE [--sidecar FILE] [--net-id 000013] [--join-eui HEX]
      claims        --server URL --admin-key KEY [--devices 200000] [--batch 1000] [--in-flight 4] [--single-rate 50]
                    [--single-devices 10000] [--single-lanes 5] [--warmup-batches 10] [--healthz 5s] [--healthz-connections 32] [--quiet 5s]
                    [--idempotent-rounds 1] [--net-id 000013] [--join-eui HEX] [--results FILE]   (bench/claims/run.sh)
      claim-file    --server URL --admin-key KEY --devices N --out FILE.csv --key-out FILE [--batch 10000] [--in-flight 2]
                    [--net-id 000013] [--join-eui HEX]   (bench/cli-claims/run.sh)
      crash-fire    --server URL --sidecar FILE --ledger FILE --kill-pid PID [--kill-after 3s] [--connections 32]
      crash-verify  --server URL --sidecar FILE --ledger FILE
      pg-create     --postgres CONNECTION --database NAME   (prints the new database's connection string)
      pg-drop       --postgres CONNECTION --database NAME
    """;

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    var options = new Options(args.Skip(1));
    return args[0] switch
    {
        "prepare" => await PrepareCommand.RunAsync(options, cancel.Token),
        "claims" => await ClaimsCommand.RunAsync(options, cancel.Token),
        "claim-file" => await ClaimFileCommand.RunAsync(options, cancel.Token),
        "crash-fire" => await CrashCommands.FireAsync(options, cancel.Token),
        "crash-verify" => await CrashCommands.VerifyAsync(options, cancel.Token),
        "pg-create" => await PostgresCommands.CreateAsync(options, cancel.Token),
        "pg-drop" => await PostgresCommands.DropAsync(options, cancel.Token),
        _ => throw new UsageException($"Unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

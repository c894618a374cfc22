using Custodian.Cli;
using Custodian.Cli.Output;

var console = new CliConsole(Console.Out, Console.Error) { ErrorIsTerminal = !Console.IsErrorRedirected };
return await CustodianCli.RunAsync(args, console);

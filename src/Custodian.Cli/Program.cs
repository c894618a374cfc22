return Custodian.Cli.CustodianCli.Run(args, Console.Out, Console.Error);

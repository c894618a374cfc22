using Custodian.Server;

await CustodianApp.Build(args).RunAsync();

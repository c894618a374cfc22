await Custodian.Server.CustodianApp.Build(args).RunAsync();

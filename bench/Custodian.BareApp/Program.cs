// The yardstick of the HTTP benchmarks: the platform alone. A slim host, one route, a small JSON body, no middleware,
// no logging below Warning; whatever Custodian's GET /healthz costs beyond this is Custodian's own.
//   dotnet Custodian.BareApp.dll --urls http://127.0.0.1:PORT
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new BareHealth("ok")));
app.Run();

/// <summary>The body of <c>GET /healthz</c>: <c>{"status":"ok"}</c>, as Custodian's.</summary>
internal sealed record BareHealth(string Status);

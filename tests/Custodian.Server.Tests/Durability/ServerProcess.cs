using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Custodian.Server.Tests.Durability;

/// <summary>
/// The built server (<c>Custodian.Server.dll</c>, copied beside the tests by the project reference) running as a
/// child process on a free loopback port, so that it can be killed with SIGKILL like a crashed production process.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int LogLinesKept = 200;
    private readonly Process _process;
    private readonly Queue<string> _log = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's process id (for its memory figures in <c>/proc</c>).</summary>
    public int ProcessId => _process.Id;

    public HttpClient CreateClient(int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false })
        {
            BaseAddress = Address,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>Starts the server on <paramref name="dataDirectory"/> (SQLite, default durability) and waits until /healthz answers.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, string adminKey, CancellationToken cancel) =>
        StartAsync(dataDirectory, ["--Custodian:DataDirectory=" + dataDirectory, "--Custodian:AdminKey=" + adminKey, "--Logging:LogLevel:Default=Warning"], cancel);

    /// <summary>Starts the server in <paramref name="workingDirectory"/> with these arguments and waits until /healthz answers.</summary>
    public static async Task<ServerProcess> StartAsync(string workingDirectory, IEnumerable<string> arguments, CancellationToken cancel)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Custodian.Server.dll"),
            "--urls", address.ToString().TrimEnd('/'),
            "--environment", "Production",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, address);
        // Drain both pipes: a full pipe would block the server.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(cancel);
        return server;
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux): no shutdown hook, no flush, no disposal.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>The last lines the server wrote, for failure messages.</summary>
    public string RecentLog()
    {
        lock (_log)
        {
            return string.Join(Environment.NewLine, _log);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancel)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}:{Environment.NewLine}{RecentLog()}");
            }
            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (HttpRequestException)
            {
                // Not listening yet: poll again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"The server did not answer /healthz within a minute:{Environment.NewLine}{RecentLog()}");
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            if (_log.Count > LogLinesKept)
            {
                _log.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

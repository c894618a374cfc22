using System.Diagnostics;
using System.Text.RegularExpressions;
using Custodian.Server.Tests.Durability;

namespace Custodian.Server.Tests;

/// <summary>
/// The README is a test: every ```bash block after a <c>&lt;!-- runnable --&gt;</c> line runs as it stands, in bash,
/// against the built server started as the README says (in a fresh directory, data in its <c>./data</c>), and the
/// first-device walkthrough ends with the device claimed. Also: where <c>dotnet run</c> keeps the data, and that
/// git ignores it.
/// </summary>
public sealed partial class ReadmeTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-readme-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void The_readme_marks_the_first_device_walkthrough_runnable()
    {
        var blocks = RunnableBlocks();

        blocks.Should().NotBeEmpty();
        blocks.Should().Contain(block => block.Contains("/claims", StringComparison.Ordinal) && block.Contains("data/admin-key.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runnable_blocks_run_verbatim_against_the_built_server()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var server = await ServerProcess.StartAsync(_directory.FullName, [], cancel);
        File.Exists(Path.Combine(_directory.FullName, "data", "admin-key.txt")).Should().BeTrue("the README keeps the data in ./data");

        var run = await RunBashAsync(string.Join("\n", RunnableBlocks()), server.Address, cancel);

        var because = $"the README's blocks must run; exit {run.ExitCode}{Environment.NewLine}{run.Output}{Environment.NewLine}server:{Environment.NewLine}{server.RecentLog()}";
        run.ExitCode.Should().Be(0, because);
        run.Output.Should().MatchRegex(@"label: LW:D0:70B3D57ED0000010:0018B20000000101:[0-9A-F]{8}:O[A-Z0-9]+", because);
        run.Output.Should().Contain("claimed: 0018B20000000101 at 000013", because);
        run.Output.Should().NotContain("null", because);
        // A clone stays clean: the walkthrough leaves nothing behind but the server's ./data (ignored by git).
        _directory.GetFileSystemInfos().Select(entry => entry.Name).Should().Equal(["data"], because);
    }

    [Fact]
    public async Task Dotnet_run_keeps_the_data_in_the_callers_directory()
    {
        var cancel = TestContext.Current.CancellationToken;
        var project = Path.Combine(LoraPacketDevice.RepositoryRoot, "src", "Custodian.Server");
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = _directory.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", project, "--no-build", "-c", Configuration, "--", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{port}/healthz"), process, log, cancel);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        File.Exists(Path.Combine(_directory.FullName, "data", "admin-key.txt")).Should().BeTrue();
        File.Exists(Path.Combine(_directory.FullName, "data", "custodian.db")).Should().BeTrue();
    }

    [Theory]
    [InlineData("data/admin-key.txt")]
    [InlineData("data/custodian.db")]
    [InlineData("data/kek.txt")]
    [InlineData("src/Custodian.Server/data/custodian.db-wal")]
    [InlineData("admin-key.txt")]
    public async Task Git_ignores_the_data_wherever_the_server_was_started(string path)
    {
        var root = LoraPacketDevice.RepositoryRoot;
        var run = await ExternalTool.RunAsync("git", "git", "-C", root, "check-ignore", "--no-index", "-q", path);

        run.ExitCode.Should().Be(0, $"{path} must be ignored by .gitignore (git check-ignore: {run.Error})");
    }

    private static List<string> RunnableBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(LoraPacketDevice.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        return [.. RunnableBlock().Matches(readme).Select(match => match.Groups["code"].Value)];
    }

    [GeneratedRegex(@"^<!-- runnable -->\n```bash\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RunnableBlock();

    private async Task<(int ExitCode, string Output)> RunBashAsync(string script, Uri server, CancellationToken cancel)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = _directory.FullName,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("pipefail");
        start.Environment["CUSTODIAN_SERVER"] = server.ToString().TrimEnd('/');
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }

    private static async Task WaitUntilHealthyAsync(Uri health, Process process, IEnumerable<string> log, CancellationToken cancel)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        while (!process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(health, limit.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token);
        }
        throw new InvalidOperationException($"dotnet run exited with code {process.ExitCode}:{Environment.NewLine}{string.Join(Environment.NewLine, log)}");
    }

    // The tests run from bin/<Configuration>/net10.0; the server was built in the same configuration.
    private static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Custodian.Testing;

namespace Custodian.Cli.Tests;

/// <summary>The CLI ships as a .NET tool named <c>custodian</c>: packed, installed into a tool path, and run from there.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("custodian-tool-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Packs_installs_and_runs_as_the_custodian_tool()
    {
        var packages = Path.Combine(_directory.FullName, "packages");
        var tools = Path.Combine(_directory.FullName, "tools");
        var project = Path.Combine(LoraPacketDevice.RepositoryRoot, "src", "Custodian.Cli", "Custodian.Cli.csproj");
        // The configuration this test assembly was built in (Release under ./test.sh), so the CLI is already built.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

        var pack = await CliRun.ProgramAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", packages], timeLimit: TimeSpan.FromMinutes(5));
        pack.ExitCode.Should().Be(0, pack.Out + pack.Error);
        var package = Directory.GetFiles(packages, "Custodian.Cli.*.nupkg").Should().ContainSingle().Subject;
        new FileInfo(package).Length.Should().BeLessThan(120L * 1024 * 1024, "native debug symbols are left out of the package");

        var install = await CliRun.ProgramAsync(
            "dotnet", ["tool", "install", "--tool-path", tools, "--add-source", packages, "Custodian.Cli"], timeLimit: TimeSpan.FromMinutes(5));
        install.ExitCode.Should().Be(0, install.Out + install.Error);

        var run = await CliRun.ProgramAsync(Path.Combine(tools, "custodian"), ["qr", "parse", "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0102", "--json"]);
        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Contain("\"devEui\":\"0018B20000000101\"").And.Contain("\"ownerToken\":\"0102\"");
    }
}

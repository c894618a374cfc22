using System.Text.Json;

namespace Custodian.Cli.Tests;

/// <summary><c>custodian qr parse --device-repository DIR</c>: the device a code names, from a small repository in the lorawan-devices format.</summary>
public sealed class QrParseDeviceRepositoryTests : IDisposable
{
    private const string Named = "LW:D0:70B3D57ED0000010:0018B20000000101:000AF8BE:O0102";

    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("custodian-cli-devrepo-");

    public QrParseDeviceRepositoryTests()
    {
        var vendor = Directory.CreateDirectory(Path.Combine(_repository.FullName, "vendor", "acme-sensors")).FullName;
        File.WriteAllText(Path.Combine(_repository.FullName, "vendor", "index.yaml"), "vendors:\n  - id: acme-sensors\n    name: ACME Sensors\n    vendorID: 10\n");
        File.WriteAllText(Path.Combine(vendor, "index.yaml"),
            "endDevices:\n  - windmeter\nprofileIDs:\n  '63678':\n    endDeviceID: 'windmeter'\n    firmwareVersion: '1.2'\n    hardwareVersion: '2.0'\n    region: 'EU863-870'\n");
        File.WriteAllText(Path.Combine(vendor, "windmeter.yaml"), "name: Wind Meter\ndescription: Wind speed and direction\n");
    }

    public void Dispose() => _repository.Delete(recursive: true);

    [Fact]
    public void A_listed_code_shows_its_vendor_model_and_region()
    {
        var run = CliRun.Of("qr", "parse", Named, "--device-repository", _repository.FullName);
        var json = CliRun.Of("qr", "parse", Named, "--device-repository", _repository.FullName, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        run.Out.Should().Contain("Vendor:").And.Contain("ACME Sensors").And.Contain("Wind Meter").And.Contain("EU863-870");
        json.ExitCode.Should().Be(0, json.Error);
        using var document = JsonDocument.Parse(json.Out);
        document.RootElement.GetProperty("model").GetString().Should().Be("Wind Meter");
        document.RootElement.GetProperty("description").GetString().Should().Be("Wind speed and direction");
        document.RootElement.GetProperty("devEui").GetString().Should().Be("0018B20000000101");
    }

    [Fact]
    public void A_code_the_repository_does_not_list_shows_only_its_fields()
    {
        var run = CliRun.Of("qr", "parse", "LW:D0:70B3D57ED0000010:0018B20000000101:000A0001:O0102", "--device-repository", _repository.FullName, "--json");

        run.ExitCode.Should().Be(0, run.Error);
        using var document = JsonDocument.Parse(run.Out);
        document.RootElement.TryGetProperty("model", out _).Should().BeFalse();
    }

    [Fact]
    public void A_folder_that_is_not_a_repository_fails_with_the_reason()
    {
        var run = CliRun.Of("qr", "parse", Named, "--device-repository", Path.Combine(_repository.FullName, "vendor"));

        run.ExitCode.Should().Be(1);
        run.Error.Should().StartWith("Cannot read the Device Repository:").And.Contain("index.yaml");
    }
}

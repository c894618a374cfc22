using Microsoft.Extensions.Options;

namespace Custodian.Server.Tests;

public sealed class OptionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Custodian:Kek", "0011", "Custodian:Kek:")]
    [InlineData("Custodian:Kek", "zz112233445566778899aabbccddeeff", "Custodian:Kek:")]
    [InlineData("Custodian:KekLabel", "has space", "Custodian:KekLabel:")]
    [InlineData("Custodian:KekFile", "/nonexistent/kek.txt", "Custodian:KekFile:")]
    [InlineData("Custodian:AdminKey", "short", "Custodian:AdminKey:")]
    [InlineData("Custodian:SessionLifetime", "-1.00:00:00", "Custodian:SessionLifetime:")]
    [InlineData("Custodian:DataDirectory", " ", "Custodian:DataDirectory:")]
    [InlineData("Custodian:Tls:Url", "http://127.0.0.1:8443", "Custodian:Tls:Url:")]
    [InlineData("Custodian:Postgres", "not a connection string", "Custodian:Postgres:")]
    public async Task An_invalid_setting_stops_the_start_with_a_message_naming_it(string key, string value, string expected)
    {
        await using var server = new TestServer();
        await using var app = server.Build(new Dictionary<string, string?> { [key] = value });

        var start = () => app.StartAsync(Ct);

        var failure = await start.Should().ThrowAsync<OptionsValidationException>();
        failure.Which.Message.Should().Contain(expected);
        if (key == "Custodian:Kek")
        {
            failure.Which.Message.Should().NotContain(value, "a bad key is still a secret");
        }
    }

    [Fact]
    public async Task Kek_and_KekFile_together_are_refused()
    {
        await using var server = new TestServer();
        var file = Path.Combine(server.DataDirectory, "keks.txt");
        await File.WriteAllTextAsync(file, "a=00112233445566778899aabbccddeeff\n", Ct);
        await using var app = server.Build(new Dictionary<string, string?> { ["Custodian:Kek"] = "00112233445566778899aabbccddeeff", ["Custodian:KekFile"] = file });

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain("Custodian:Kek:").And.Contain("KekFile");
    }

    [Fact]
    public async Task A_kek_file_with_a_bad_line_is_refused_naming_the_line()
    {
        await using var server = new TestServer();
        var file = Path.Combine(server.DataDirectory, "keks.txt");
        await File.WriteAllTextAsync(file, "# comment\na=00112233445566778899aabbccddeeff\nb=0011\n", Ct);
        await using var app = server.Build(new Dictionary<string, string?> { ["Custodian:KekFile"] = file });

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<OptionsValidationException>();

        failure.Which.Message.Should().Contain("Custodian:KekFile:").And.Contain("line 3");
    }

    [Fact]
    public async Task An_unreadable_typed_value_stops_the_start_naming_the_key()
    {
        await using var server = new TestServer();
        await using var app = server.Build(new Dictionary<string, string?> { ["Custodian:Durability"] = "Sometimes" });

        var failure = await ((Func<Task>)(() => app.StartAsync(Ct))).Should().ThrowAsync<InvalidOperationException>();

        failure.Which.Message.Should().Contain("Custodian:Durability");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Custodian.Testing;

namespace Custodian.Lorawan.Tests.Interop;

/// <summary>The device helper itself: the pinned lora-packet runs, and a bad request is an error, not a hang.</summary>
[Collection(LoraPacketCollection.Name)]
public sealed class LoraPacketDeviceTests(LoraPacketDevice device)
{
    [Fact]
    public async Task Runs_the_lora_packet_version_pinned_in_package_json()
    {
        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(LoraPacketDevice.DeviceDirectory, "package.json"), TestContext.Current.CancellationToken));
        var pinned = package.RootElement.GetProperty("dependencies").GetProperty("lora-packet").GetString();

        var hello = await device.SendAsync(new JsonObject { ["op"] = "hello" }, TestContext.Current.CancellationToken);

        pinned.Should().MatchRegex(@"^\d+\.\d+\.\d+$", "package.json pins an exact version");
        hello["loraPacket"]!.GetValue<string>().Should().Be(pinned);
    }

    [Fact]
    public async Task A_bad_request_is_refused_and_the_device_keeps_answering()
    {
        var hello = new JsonObject { ["op"] = "hello" };
        await device.SendAsync(hello, TestContext.Current.CancellationToken);
        var bad = () => device.SendAsync(new JsonObject { ["op"] = "joinRequest", ["macVersion"] = "1.2" }, TestContext.Current.CancellationToken);

        (await bad.Should().ThrowAsync<InvalidOperationException>()).WithMessage("device.js refused *macVersion*1.2*");
        var answer = await device.SendAsync(hello, TestContext.Current.CancellationToken);
        answer["ok"]!.GetValue<bool>().Should().BeTrue();
    }
}

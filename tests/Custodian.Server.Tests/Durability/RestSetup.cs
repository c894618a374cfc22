using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Custodian.Server.Tests.Durability;

/// <summary>The REST calls that give the test a maker with pre-activated devices and the network they are homed at.</summary>
internal static class RestSetup
{
    /// <summary>Creates a network (no KEK) and a maker tenant, provisions <paramref name="count"/> 1.0.4 devices homed there; returns the network's token and the devices.</summary>
    public static async Task<(string Token, List<ProvisionedDevice> Devices)> ProvisionAsync(
        HttpClient http, string adminKey, NetId netId, JoinEui joinEui, int count, CancellationToken cancel)
    {
        var token = Field(await PostAsync(http, adminKey, "/api/v1/networks", new JsonObject { ["netId"] = netId.ToString() }, cancel), "token");
        await PostAsync(http, adminKey, "/api/v1/tenants", new JsonObject { ["id"] = "crash-maker", ["name"] = "Crash test maker", ["devEuiPrefixes"] = new JsonArray("00AA000000000000/16") }, cancel);
        var makerKey = Field(await PostAsync(http, adminKey, "/api/v1/tenants/crash-maker/api-keys",
            new JsonObject { ["name"] = "provisioning", ["rights"] = new JsonArray("devices:provision") }, cancel), "key");

        var devEuis = Enumerable.Range(1, count).Select(i => new DevEui(0x00AA_0000_0000_0000UL + (ulong)i)).ToList();
        var items = new JsonArray([.. devEuis.Select(devEui => (JsonNode)new JsonObject
        {
            ["joinEui"] = joinEui.ToString(),
            ["devEui"] = devEui.ToString(),
            ["macVersion"] = "1.0.4",
            ["homeNetId"] = netId.ToString(),
        })]);
        var results = (await PostAsync(http, makerKey, "/api/v1/devices/batch", new JsonObject { ["devices"] = items }, cancel))["results"]!.AsArray();
        var devices = new List<ProvisionedDevice>();
        foreach (var result in results)
        {
            result!["status"]!.GetValue<string>().Should().Be("created", result.ToJsonString());
            devices.Add(new ProvisionedDevice(devEuis[result["index"]!.GetValue<int>()], Key128.Parse(Field(result, "appKey"))));
        }
        devices.Should().HaveCount(count);
        return (token, devices);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string bearer, string path, JsonObject body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        response.IsSuccessStatusCode.Should().BeTrue($"POST {path} should succeed, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Field(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new InvalidDataException($"The answer has no '{name}': {node.ToJsonString()}");
}

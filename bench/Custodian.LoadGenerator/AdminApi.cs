using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Custodian.LoadGenerator;

/// <summary>The few REST calls a benchmark needs to set up a maker, a network and its devices (DESIGN.md shapes).</summary>
internal sealed class AdminApi(HttpClient http)
{
    /// <summary>The DevEUI block of the devices under a 24-bit <paramref name="prefix"/> (its top bits), as <c>EUI/24</c>.</summary>
    public static string BlockOf(ulong prefix) => $"{prefix:X16}/24";

    public async Task<string> CreateTenantWithKeyAsync(string adminKey, string tenantId, string devEuiBlock, CancellationToken cancel)
    {
        await PostAsync(adminKey, "/api/v1/tenants",
            new JsonObject { ["id"] = tenantId, ["name"] = "Load benchmark maker", ["devEuiPrefixes"] = new JsonArray(devEuiBlock) }, cancel);
        var key = await PostAsync(adminKey, $"/api/v1/tenants/{tenantId}/api-keys",
            new JsonObject { ["name"] = "bench", ["rights"] = new JsonArray("devices:provision", "devices:read") }, cancel);
        return Field(key, "key");
    }

    /// <summary>A network without a KEK (session keys in clear); returns its Backend Interfaces token.</summary>
    public async Task<string> CreateNetworkAsync(string adminKey, NetId netId, CancellationToken cancel)
    {
        var network = await PostAsync(adminKey, "/api/v1/networks", new JsonObject { ["netId"] = netId.ToString(), ["name"] = "Load benchmark network" }, cancel);
        return Field(network, "token");
    }

    /// <summary>Provisions pre-activated 1.0.4 devices homed at <paramref name="netId"/>; returns the AppKey the server generated for each.</summary>
    public async Task<IReadOnlyList<Key128>> ProvisionAsync(string makerKey, JoinEui joinEui, IReadOnlyList<DevEui> devEuis, NetId netId, CancellationToken cancel)
    {
        var items = new JsonArray();
        foreach (var devEui in devEuis)
        {
            items.Add(new JsonObject
            {
                ["joinEui"] = joinEui.ToString(),
                ["devEui"] = devEui.ToString(),
                ["macVersion"] = "1.0.4",
                ["homeNetId"] = netId.ToString(),
            });
        }
        var answer = await PostAsync(makerKey, "/api/v1/devices/batch", new JsonObject { ["devices"] = items }, cancel);
        var results = answer["results"]?.AsArray() ?? throw new InvalidOperationException("The batch answer has no results.");
        var keys = new Key128[devEuis.Count];
        foreach (var result in results)
        {
            var index = result!["index"]!.GetValue<int>();
            if (result["status"]?.GetValue<string>() != "created")
            {
                throw new InvalidOperationException($"Device {devEuis[index]} was not created: {result["error"]?.ToJsonString()}");
            }
            keys[index] = Key128.Parse(Field(result, "appKey"));
        }
        return keys;
    }

    private async Task<JsonNode> PostAsync(string bearer, string path, JsonObject body, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancel);
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"POST {path} answered an empty body.");
    }

    private static string Field(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new InvalidOperationException($"The answer has no '{name}': {node.ToJsonString()}");
}

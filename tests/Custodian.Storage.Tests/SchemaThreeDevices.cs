using Custodian.Core.Storage;

namespace Custodian.Storage.Tests;

/// <summary>
/// Devices each engine's schema-3 upgrade test writes in schema 3: DevEUIs 5 and FFFF… made by 'acme' (in
/// stored order FFFF… comes first), 7 by 'other'; after migrating, a maker's list must find them in DevEUI order.
/// </summary>
internal static class SchemaThreeDevices
{
    /// <summary>The insert, with <paramref name="createdAt"/> the engine's literal for a time.</summary>
    public static string Insert(string createdAt) =>
        $"""
        INSERT INTO devices (dev_eui, join_eui, mac_version, maker_tenant_id, root_keys, claim_code, ownership_epoch,
            next_join_nonce, created_at, version)
        VALUES (-1, 1, '1.0.3', 'acme', 'kek:AAAA', 'kek:BBBB', 0, 0, {createdAt}, 1),
            (5, 1, '1.0.3', 'acme', 'kek:AAAA', 'kek:CCCC', 0, 0, {createdAt}, 1),
            (7, 1, '1.0.3', 'other', 'kek:AAAA', 'kek:DDDD', 0, 0, {createdAt}, 1);
        """;

    public static async Task ShouldListByMakerAsync(ICustodianStore store)
    {
        var ct = TestContext.Current.CancellationToken;
        (await store.ListMakerDevicesAsync("acme", null, 10, ct)).Select(d => d.DevEui)
            .Should().Equal(new DevEui(5), new DevEui(0xFFFFFFFFFFFFFFFF));
        (await store.ListMakerDevicesAsync("acme", new DevEui(5), 10, ct)).Select(d => d.DevEui).Should().Equal(new DevEui(0xFFFFFFFFFFFFFFFF));
        (await store.ListMakerDevicesAsync("other", null, 10, ct)).Select(d => d.DevEui).Should().Equal(new DevEui(7));
    }
}

using System.Security.Cryptography;
using Custodian.Core.Peers;
using static Custodian.Storage.Tests.TestData;

namespace Custodian.Storage.Tests;

/// <summary>Rotating and removing peers' credentials, and the configured admin keys remembered across starts.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_network_s_credentials_are_replaced_and_nothing_else_changes()
    {
        var network = Network(new NetId(0x0000F1), "ns.example");
        var sibling = Network(new NetId(0x0000F1));
        await Store.CreateNetworkAsync(network, Ct);
        await Store.CreateNetworkAsync(sibling, Ct);
        var updated = network with { Name = "ignored", TokenHash = RandomNumberGenerator.GetBytes(32), CertificateThumbprint = null };

        (await Store.UpdateNetworkCredentialsAsync(updated, Ct)).Should().BeTrue();

        ShouldMatch(await Store.GetNetworkAsync(network.NetId, "ns.example", Ct), network with { TokenHash = updated.TokenHash, CertificateThumbprint = null });
        ShouldMatch(await Store.GetNetworkAsync(network.NetId, null, Ct), sibling);
        (await Store.FindNetworkAsync(new(PeerCredentialKind.BearerToken, network.TokenHash), Ct)).Should().BeNull("the old token is gone");
        ShouldMatch(await Store.FindNetworkAsync(new(PeerCredentialKind.BearerToken, updated.TokenHash), Ct), network with { TokenHash = updated.TokenHash, CertificateThumbprint = null });
        (await Store.UpdateNetworkCredentialsAsync(Network(new NetId(0x0000F2)), Ct)).Should().BeFalse("no such network");
    }

    [Fact]
    public async Task A_network_is_removed_by_net_id_and_ns_id_null_included()
    {
        var withNsId = Network(new NetId(0x0000F3), "ns.example");
        var without = Network(new NetId(0x0000F3));
        await Store.CreateNetworkAsync(withNsId, Ct);
        await Store.CreateNetworkAsync(without, Ct);

        (await Store.DeleteNetworkAsync(without.NetId, null, Ct)).Should().BeTrue();
        (await Store.DeleteNetworkAsync(without.NetId, null, Ct)).Should().BeFalse();

        (await Store.GetNetworkAsync(without.NetId, null, Ct)).Should().BeNull();
        ShouldMatch(await Store.GetNetworkAsync(withNsId.NetId, "ns.example", Ct), withNsId);
        (await Store.CreateNetworkAsync(without, Ct)).Should().BeTrue("a removed network may be registered again");
    }

    [Fact]
    public async Task An_application_server_s_credentials_are_replaced_and_it_is_removed()
    {
        var server = ApplicationServer("as-f.example");
        await Store.CreateApplicationServerAsync(server, Ct);
        var updated = server with { TokenHash = RandomNumberGenerator.GetBytes(32), CertificateThumbprint = RandomNumberGenerator.GetBytes(32) };

        (await Store.UpdateApplicationServerCredentialsAsync(updated, Ct)).Should().BeTrue();
        ShouldMatch(await Store.GetApplicationServerAsync("as-f.example", Ct), updated);
        (await Store.FindApplicationServerAsync(new(PeerCredentialKind.ClientCertificate, server.CertificateThumbprint!.Value), Ct)).Should().BeNull();

        (await Store.DeleteApplicationServerAsync("as-f.example", Ct)).Should().BeTrue();
        (await Store.DeleteApplicationServerAsync("as-f.example", Ct)).Should().BeFalse();
        (await Store.GetApplicationServerAsync("as-f.example", Ct)).Should().BeNull();
        (await Store.UpdateApplicationServerCredentialsAsync(updated, Ct)).Should().BeFalse();
    }

    [Fact]
    public async Task A_configured_admin_key_is_new_once()
    {
        var first = RandomNumberGenerator.GetBytes(32);
        var second = RandomNumberGenerator.GetBytes(32);

        (await Store.RememberConfiguredAdminKeyAsync(first, T0, Ct)).Should().BeTrue();
        (await Store.RememberConfiguredAdminKeyAsync(first, T0.AddDays(1), Ct)).Should().BeFalse();
        (await Store.RememberConfiguredAdminKeyAsync(second, T0, Ct)).Should().BeTrue();
    }
}

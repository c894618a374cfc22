using Custodian.Core.Errors;
using Custodian.Core.Tenancy;

namespace Custodian.Core.Tests.Tenancy;

public class TenancyTests
{
    [Fact]
    public void Rights_round_trip_through_their_wire_names()
    {
        ApiRightNames.TryParse(["devices:read", "events:read"], out var rights, out _).Should().BeTrue();

        rights.Should().Be(ApiRights.DevicesRead | ApiRights.EventsRead);
        rights.ToNames().Should().Equal("devices:read", "events:read");
        ApiRights.All.ToNames().Should().BeEquivalentTo(ApiRightNames.All);
    }

    [Fact]
    public void An_unknown_right_is_refused_with_the_list_of_rights()
    {
        ApiRightNames.TryParse(["devices:read", "devices:delete"], out _, out var error).Should().BeFalse();
        error.Should().Contain("'devices:delete'").And.Contain("devices:provision");
    }

    [Fact]
    public void Admin_grants_every_right_and_others_only_their_own()
    {
        ApiRights.Admin.Grants(ApiRights.DevicesClaim).Should().BeTrue();
        ApiRights.DevicesRead.Grants(ApiRights.DevicesRead).Should().BeTrue();
        ApiRights.DevicesRead.Grants(ApiRights.DevicesClaim).Should().BeFalse();
        (ApiRights.DevicesRead | ApiRights.DevicesClaim).Grants(ApiRights.DevicesClaim).Should().BeTrue();
    }

    [Fact]
    public void Tokens_are_random_prefixed_and_stored_as_their_sha256()
    {
        var first = SecretToken.Generate(SecretToken.ApiKeyPrefix);
        var second = SecretToken.Generate(SecretToken.ApiKeyPrefix);

        first.Should().StartWith("cust_").And.NotBe(second);
        first.Length.Should().Be("cust_".Length + 43);
        SecretToken.Hash(first).Should().HaveCount(SecretToken.HashSize).And.Equal(SecretToken.Hash(first));
        SecretToken.Hash(first).Should().NotEqual(SecretToken.Hash(second));
    }

    [Fact]
    public void Error_codes_are_unique_snake_case()
    {
        CustodianErrors.All.Should().NotBeEmpty();
        CustodianErrors.All.Select(e => e.Code).Should().OnlyHaveUniqueItems();
        CustodianErrors.All.Should().OnlyContain(e => System.Text.RegularExpressions.Regex.IsMatch(e.Code, "^[a-z][a-z0-9_]*$"));
    }
}

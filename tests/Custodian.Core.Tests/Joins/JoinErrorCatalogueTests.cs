using System.Text.RegularExpressions;
using Custodian.Core.Joins;

namespace Custodian.Core.Tests.Joins;

/// <summary>The join error catalogue and its one ResultCode table.</summary>
public sealed partial class JoinErrorCatalogueTests
{
    [Fact]
    public void Codes_are_unique_snake_case_and_none_is_the_no_cause_label()
    {
        var codes = JoinErrors.All.Select(e => e.Code).ToList();

        codes.Should().OnlyHaveUniqueItems();
        codes.Should().AllSatisfy(code => SnakeCase().IsMatch(code).Should().BeTrue(code));
        codes.Should().NotContain(JoinErrors.NoCause);
        codes.Should().HaveCountGreaterThan(20);
    }

    [Theory]
    [InlineData(BackendInterfacesVersion.V1_0)]
    [InlineData(BackendInterfacesVersion.V1_1)]
    public void Every_cause_has_a_ResultCode_in_every_version(BackendInterfacesVersion version)
    {
        foreach (var cause in JoinErrors.All)
        {
            JoinResultCodes.For(cause, version).Should().NotBe(ResultCode.Success, cause.Code);
        }
    }

    [Fact]
    public void A_cause_outside_the_catalogue_has_no_ResultCode()
    {
        var stranger = new JoinError("not_in_the_catalogue", "A test's own.");

        FluentActions.Invoking(() => JoinResultCodes.For(stranger, BackendInterfacesVersion.V1_1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Causes_keep_the_ResultCodes_peers_were_answered_before_except_for_the_foreign_network_ones()
    {
        var v11 = BackendInterfacesVersion.V1_1;
        JoinResultCodes.For(JoinErrors.MalformedMessage, BackendInterfacesVersion.V1_0).Should().Be(ResultCode.MalformedRequest);
        JoinResultCodes.For(JoinErrors.MalformedMessage, v11).Should().Be(ResultCode.MalformedMessage);
        JoinResultCodes.For(JoinErrors.MicFailed, v11).Should().Be(ResultCode.MICFailed);
        new[] { JoinErrors.DevNonceReused, JoinErrors.DevNonceTooSmall, JoinErrors.JoinNonceExhausted, JoinErrors.DeviceChanged, JoinErrors.MacVersionMismatch, JoinErrors.AppKeyMissing, JoinErrors.RejoinNotServed }
            .Select(c => JoinResultCodes.For(c, v11)).Should().AllBeEquivalentTo(ResultCode.JoinReqFailed);
        JoinErrors.All.Where(c => c.Authentication).Select(c => JoinResultCodes.For(c, v11)).Should().AllBeEquivalentTo(ResultCode.UnknownSender);
        JoinErrors.All.Where(c => !c.Disclosed).Append(JoinErrors.UnknownDevice).Select(c => JoinResultCodes.For(c, v11))
            .Should().AllBeEquivalentTo(ResultCode.UnknownDevEUI, "a network that is not the device's home learns nothing per device");
        JoinResultCodes.ForInternal(MessageTypes.JoinReq, v11).Should().Be(ResultCode.JoinReqFailed);
        JoinResultCodes.ForInternal(MessageTypes.AppSKeyReq, v11).Should().Be(ResultCode.Other);
    }

    [GeneratedRegex("^[a-z]+(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}

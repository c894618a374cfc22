namespace Custodian.Core.Tests;

/// <summary>backend-interfaces.json is split between two test projects; a kind neither handles fails here.</summary>
public sealed class VectorCoverageTests
{
    private static readonly string[] HandledByBackendInterfacesTests =
        ["bi-json-roundtrip", "bi-request-parse", "bi-answer-parse", "bi-answer-build", "bi-result-code"];

    private static readonly string[] HandledByJoinVectorTests = ["bi-js-join", "join-request-build"];

    [Fact]
    public void Every_kind_of_backend_interfaces_json_is_handled()
    {
        var kinds = Vectors.All("backend-interfaces.json").Select(v => v.Kind).Distinct();

        kinds.Should().BeSubsetOf(HandledByBackendInterfacesTests.Concat(HandledByJoinVectorTests));
    }
}

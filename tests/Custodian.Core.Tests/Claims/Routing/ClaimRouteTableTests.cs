using Custodian.Core.Claims.Routing;
using FsCheck;
using FsCheck.Fluent;

namespace Custodian.Core.Tests.Claims.Routing;

public sealed class ClaimRouteTableTests
{
    private static readonly ClaimRouteTable Table = new(
    [
        new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000000/36"), "ttjs"),
        new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000000/40"), "other"),
        new ClaimRoute(JoinEuiPrefix.Parse("70B3D57ED0000A00/56"), "local"),
        new ClaimRoute(JoinEuiPrefix.Parse("8000000000000000/1"), "upper-half"),
    ]);

    [Theory]
    [InlineData("70B3D57ED0000001", "other")] // in /36 and /40: the longer wins
    [InlineData("70B3D57ED1000001", "ttjs")] // in /36 only
    [InlineData("70B3D57ED0000A42", "local")] // a local block carved out of a remote one
    [InlineData("70B3D57ED0000B42", "other")]
    [InlineData("FFFFFFFFFFFFFFFF", "upper-half")]
    [InlineData("0000000000000001", "local")] // no route: this server
    [InlineData("70B3D57EE0000000", "local")]
    public void Longest_matching_prefix_names_the_Join_Server(string joinEui, string joinServer) =>
        Table.JoinServerFor(JoinEui.Parse(joinEui)).Should().Be(joinServer);

    [Fact]
    public void No_route_matches_gives_null_and_the_local_server()
    {
        Table.Match(JoinEui.Parse("0000000000000001")).Should().BeNull();
        ClaimRouteTable.Empty.JoinServerFor(JoinEui.Parse("70B3D57ED0000001")).Should().Be(ClaimRouteTable.Local);
    }

    [Fact]
    public void A_zero_length_prefix_catches_every_JoinEUI_not_routed_more_precisely()
    {
        var table = new ClaimRouteTable([new ClaimRoute(JoinEuiPrefix.Parse("0000000000000000/0"), "default"), new ClaimRoute(JoinEuiPrefix.Parse("70B3D5"), "local")]);

        table.JoinServerFor(JoinEui.Parse("0123456789ABCDEF")).Should().Be("default");
        table.JoinServerFor(JoinEui.Parse("70B3D50000000001")).Should().Be("local");
    }

    [Fact]
    public void Two_routes_with_one_prefix_are_refused_even_spelled_differently()
    {
        var build = () => new ClaimRouteTable([new ClaimRoute(JoinEuiPrefix.Parse("70B3D5"), "a"), new ClaimRoute(JoinEuiPrefix.Parse("70B3D50000000000/24"), "b")]);

        build.Should().Throw<ArgumentException>().WithMessage("Two routes have the prefix 70B3D50000000000/24.*");
    }

    [Fact]
    public void Remote_Join_Servers_are_the_non_local_route_targets_once_each() =>
        Table.RemoteJoinServers.Should().BeEquivalentTo(["ttjs", "other", "upper-half"]);

    [Fact]
    public void Match_is_the_longest_containing_route_for_any_routes_and_JoinEUI()
    {
        var routeGen =
            from start in ArbMap.Default.GeneratorFor<ulong>()
            from length in Gen.Choose(0, 64)
            from name in Gen.Elements("a", "b", "c", "local")
            select new ClaimRoute(new JoinEuiPrefix(new JoinEui(start), length), name);
        var caseGen =
            from routes in Gen.ListOf(routeGen)
            from probe in ArbMap.Default.GeneratorFor<ulong>()
            from useRouteStart in ArbMap.Default.GeneratorFor<bool>()
            select (Routes: routes.DistinctBy(r => r.Prefix).ToList(), Probe: useRouteStart && routes.Count > 0 ? routes[0].Prefix.Start.Value | (probe >> Math.Min(63, routes[0].Prefix.Length) >> 1) : probe);

        Prop.ForAll(caseGen.ToArbitrary(), c =>
        {
            var joinEui = new JoinEui(c.Probe);
            var expected = c.Routes.Where(r => r.Prefix.Contains(joinEui)).MaxBy(r => r.Prefix.Length);
            return new ClaimRouteTable(c.Routes).Match(joinEui) == expected;
        }).QuickCheckThrowOnFailure();
    }
}

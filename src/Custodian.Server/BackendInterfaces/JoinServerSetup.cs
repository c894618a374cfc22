namespace Custodian.Server.BackendInterfaces;

/// <summary>
/// Placeholders for the Join Server (Backend Interfaces at <c>POST /backend-interfaces</c>): the joins work
/// replaces this file with the real registrations and endpoint.
/// </summary>
public static class JoinServerSetup
{
    /// <summary>Registers the Join Server's services.</summary>
    public static WebApplicationBuilder AddJoinServer(this WebApplicationBuilder builder) => builder;

    /// <summary>Maps <c>POST /backend-interfaces</c>.</summary>
    public static WebApplication MapBackendInterfaces(this WebApplication app) => app;
}

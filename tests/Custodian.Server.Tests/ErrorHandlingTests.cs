using System.Net;
using System.Reflection;
using Custodian.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Server.Tests;

public sealed class ErrorHandlingTests
{
    private const string Internals = "connection string Password=hunter2 at table devices";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unexpected_exception_is_a_generic_500_problem_without_its_text()
    {
        await using var server = await TestServer.StartAsync(configureServices: services =>
            services.AddSingleton(FailingStore.Wrap(new InMemoryCustodianStore(), nameof(ICustodianStore.GetDeviceAsync))));
        var maker = await server.TenantAsync("errors", "devices:read");

        using var response = await maker.GetAsync("/api/v1/devices/0000000000120001", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "internal");
        (await response.Content.ReadAsStringAsync(Ct)).Should().NotContain("hunter2").And.NotContain("InvalidOperationException").And.NotContain("   at ");
        problem.Detail().Should().NotContain("hunter2");
        server.Logs.Lines.Should().Contain(line => line.Contains("[1099]"), "the exception is logged for the operator");
    }

    [Fact]
    public async Task Unknown_paths_and_methods_answer_with_problem_details()
    {
        await using var server = await TestServer.StartAsync();

        using var missing = await server.Client().GetAsync("/no-such-path", Ct);
        using var wrongMethod = await server.Admin.DeleteAsync("/api/v1/tenants", Ct);

        missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
        missing.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        wrongMethod.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>The in-memory store, except that one method throws as a broken engine would.</summary>
    public class FailingStore : DispatchProxy
    {
        private ICustodianStore _inner = null!;
        private string _failing = "";

        public static ICustodianStore Wrap(ICustodianStore inner, string failing)
        {
            var proxy = Create<ICustodianStore, FailingStore>();
            var self = (FailingStore)(object)proxy;
            self._inner = inner;
            self._failing = failing;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == _failing)
            {
                throw new InvalidOperationException(Internals);
            }
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                throw exception.InnerException;
            }
        }
    }
}

using Custodian.Core.Claims;
using Custodian.Lorawan;
using Microsoft.Extensions.DependencyInjection;

namespace Custodian.Console.Tests;

/// <summary>
/// The server's own claim service, held after its first batch until the request is cancelled: an import then stops
/// mid-way for certain, so a test can cancel it there. Everything it lets through is the real service's work.
/// </summary>
internal sealed class GatedClaimService(IClaimService inner) : IClaimService
{
    private int _batches;

    /// <summary>Replaces the registered <see cref="IClaimService"/> with itself around it.</summary>
    public static void Install(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IClaimService));
        services.Remove(real);
        services.AddSingleton<IClaimService>(sp => new GatedClaimService((IClaimService)real.ImplementationFactory!(sp)));
    }

    public async Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(Claimant claimant, IReadOnlyList<ClaimTarget> targets, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _batches) > 1)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        return await inner.ClaimAsync(claimant, targets, cancellationToken);
    }

    public Task<ClaimStatusOutcome> GetStatusAsync(Claimant claimant, DevEui devEui, CancellationToken cancellationToken) =>
        inner.GetStatusAsync(claimant, devEui, cancellationToken);

    public Task<ClaimPage> ListAsync(Claimant claimant, DevEui? after, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(claimant, after, limit, cancellationToken);

    public Task<IReadOnlyList<UnclaimOutcome>> UnclaimAsync(Claimant claimant, IReadOnlyList<DevEui> devEuis, bool rotateCode, CancellationToken cancellationToken) =>
        inner.UnclaimAsync(claimant, devEuis, rotateCode, cancellationToken);

    public JoinEuiInfo Describe(JoinEui joinEui) => inner.Describe(joinEui);
}

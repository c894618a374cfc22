using Custodian.Core.Errors;
using Custodian.Core.Tenancy;
using Custodian.Server.Problems;

namespace Custodian.Server.Auth;

/// <summary>An endpoint's right: callers whose key lacks it get a 403 problem naming the right.</summary>
internal static class RightsFilter
{
    public static TBuilder RequireRight<TBuilder>(this TBuilder builder, ApiRights right)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRight(right)).AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Features.Get<CallerContext>();
            if (caller is null)
            {
                return CustodianProblems.Result(CustodianErrors.Unauthenticated, "No API key was presented: send 'Authorization: Bearer <api key>'.");
            }
            if (!caller.Has(right))
            {
                return CustodianProblems.Result(CustodianErrors.MissingRight, $"This call needs the right '{string.Join("', '", right.ToNames())}'.");
            }
            return await next(context);
        });
}

/// <summary>An endpoint's right as metadata, for the OpenAPI document.</summary>
internal sealed record RequiredRight(ApiRights Right);

using System.Net;
using System.Text;
using System.Text.Json;
using Custodian.Core.Claims;
using Custodian.Core.Claims.Routing;
using Custodian.Core.Devices;
using Custodian.Server.Claims.Routing;
using Custodian.Server.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Custodian.Server.Tests.Routing;

/// <summary>The v2 client against a stub remote: the requests it sends, and how each answer becomes our error.</summary>
public sealed class JoinServerV2ClientTests
{
    private const string Token = "cust_remote-token-never-shown";
    private static readonly DevEui DevEui = DevEui.Parse("0004A30B001C0530");
    private static readonly JoinEui JoinEui = JoinEui.Parse("70B3D57ED0000001");
    private static readonly ClaimTarget Target = new(JoinEui, DevEui, ClaimCode.Parse("BEEF1234"), new HomeNetwork(NetId.Parse("000013"), "1122334455667788", "as-1"), true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JoinServerV2Client Client(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer, string url = "http://js.example/base", TimeSpan? timeout = null) =>
        new("ttjs", new RemoteJoinServerOptions { Url = url, Token = Token, Timeout = timeout ?? TimeSpan.FromSeconds(5) }, NullLogger.Instance, new StubHandler(answer));

    private static Func<HttpRequestMessage, Task<HttpResponseMessage>> Answer(HttpStatusCode status, string? json = null, TimeSpan? retryAfter = null) => _ =>
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }
        return Task.FromResult(response);
    };

    [Fact]
    public async Task A_claim_is_a_PUT_with_TTJS_field_names_and_the_bearer_token_under_the_base_path()
    {
        HttpRequestMessage? sent = null;
        string? body = null;
        using var client = Client(async request =>
        {
            sent = request;
            body = await request.Content!.ReadAsStringAsync(Ct);
            return new HttpResponseMessage(HttpStatusCode.Created);
        });

        var claimed = await client.ClaimAsync(Target, Ct);

        claimed.Should().Be(new RemoteClaim(true, null));
        sent!.Method.Should().Be(HttpMethod.Put);
        sent.RequestUri!.ToString().Should().Be("http://js.example/base/api/v2/devices/0004A30B001C0530/claim");
        sent.Headers.Authorization!.ToString().Should().Be("Bearer " + Token);
        body.Should().Be("""{"ownerToken":"BEEF1234","homeNetID":"000013","homeNSID":"1122334455667788","asID":"as-1","lock":true}""");
    }

    [Fact]
    public async Task A_200_to_a_claim_means_nothing_changed()
    {
        using var client = Client(Answer(HttpStatusCode.OK));

        (await client.ClaimAsync(Target, Ct)).Should().Be(new RemoteClaim(false, null));
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """{"message":"claim failed with given owner token"}""", "claim_refused")]
    [InlineData(HttpStatusCode.Forbidden, """{"message":"Client not allowed to claim"}""", "device_claimed")]
    [InlineData(HttpStatusCode.Forbidden, null, "device_claimed")]
    [InlineData(HttpStatusCode.NotFound, """{"message":"device not provisioned"}""", "claim_refused")]
    [InlineData(HttpStatusCode.BadRequest, """{"message":"invalid homeNetID"}""", "invalid_field")]
    [InlineData(HttpStatusCode.Unauthorized, null, "join_server_unavailable")]
    [InlineData(HttpStatusCode.InternalServerError, null, "join_server_unavailable")]
    [InlineData(HttpStatusCode.BadGateway, "<html>", "join_server_unavailable")]
    [InlineData(HttpStatusCode.Conflict, null, "join_server_unavailable")]
    [InlineData(HttpStatusCode.Forbidden, """{"message":"The claim code of device X expired.","code":"claim_code_not_valid_now"}""", "claim_code_not_valid_now")]
    [InlineData(HttpStatusCode.BadRequest, """{"message":"no network","code":"network_not_found"}""", "network_not_found")]
    [InlineData(HttpStatusCode.Forbidden, """{"message":"x","code":"internal"}""", "device_claimed")]
    public async Task Claim_answers_become_our_errors(HttpStatusCode status, string? json, string code)
    {
        using var client = Client(Answer(status, json));

        var failure = (await client.ClaimAsync(Target, Ct)).Failure!;

        failure.Error.Code.Should().Be(code);
        failure.Detail.Should().NotContain(Token).And.NotContain("BEEF1234");
        if (code == "claim_refused")
        {
            failure.Detail.Should().Be("No device 0004A30B001C0530 with JoinEUI 70B3D57ED0000001 accepts this claim code.", "the words of a local refusal");
        }
        if (code == "join_server_unavailable")
        {
            failure.Detail.Should().StartWith("Join Server 'ttjs' ");
        }
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "device_not_found")]
    [InlineData(HttpStatusCode.NotFound, "device_not_found")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "join_server_unavailable")]
    public async Task Status_and_unclaim_answers_become_our_errors(HttpStatusCode status, string code)
    {
        using var client = Client(Answer(status, """{"message":"nope"}"""));

        (await client.GetStatusAsync(DevEui, Ct)).Failure!.Error.Code.Should().Be(code);
        (await client.UnclaimAsync(DevEui, false, Ct)).Failure!.Error.Code.Should().Be(code);
    }

    [Fact]
    public async Task A_429_is_rate_limited_or_claim_locked_with_the_remotes_Retry_After()
    {
        using var limited = Client(Answer(HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", TimeSpan.FromSeconds(7)));
        using var locked = Client(Answer(HttpStatusCode.TooManyRequests, """{"message":"Too many wrong claim codes","code":"claim_locked"}""", TimeSpan.FromSeconds(90)));
        using var bare = Client(Answer(HttpStatusCode.TooManyRequests));

        var rateLimited = (await limited.ClaimAsync(Target, Ct)).Failure!;
        var claimLocked = (await locked.ClaimAsync(Target, Ct)).Failure!;
        var noHeader = (await bare.ClaimAsync(Target, Ct)).Failure!;

        rateLimited.Error.Code.Should().Be("rate_limited");
        rateLimited.RetryAfter.Should().Be(TimeSpan.FromSeconds(7));
        claimLocked.Error.Code.Should().Be("claim_locked");
        claimLocked.RetryAfter.Should().Be(TimeSpan.FromSeconds(90));
        noHeader.RetryAfter.Should().BePositive();
    }

    [Fact]
    public async Task Connection_errors_and_timeouts_are_unavailable_naming_the_server()
    {
        using var refused = Client(_ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (js.example:80)"));
        using var slow = Client(async request =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), Ct);
            return new HttpResponseMessage(HttpStatusCode.Created);
        }, timeout: TimeSpan.FromMilliseconds(100));

        var connection = (await refused.ClaimAsync(Target, Ct)).Failure!;
        var timeout = (await slow.GetStatusAsync(DevEui, Ct)).Failure!;

        connection.Error.Code.Should().Be("join_server_unavailable");
        connection.Detail.Should().Be("Join Server 'ttjs' could not be reached (connection refused or reset).");
        timeout.Error.Code.Should().Be("join_server_unavailable");
        timeout.Detail.Should().Be("Join Server 'ttjs' did not answer within 0.1 s.");
    }

    [Fact]
    public async Task Status_reads_TTJS_fields_and_an_unreadable_status_is_unavailable()
    {
        using var client = Client(Answer(HttpStatusCode.OK, """{"homeNetID":"000013","homeNSID":"1122334455667788","locked":false}"""));
        using var broken = Client(Answer(HttpStatusCode.OK, """{"locked":true}"""));

        var status = await client.GetStatusAsync(DevEui, Ct);
        var unreadable = await broken.GetStatusAsync(DevEui, Ct);

        status.Should().Be(new RemoteClaimStatus(NetId.Parse("000013"), "1122334455667788", false, null));
        unreadable.Failure!.Error.Code.Should().Be("join_server_unavailable");
    }

    [Fact]
    public async Task Unclaim_with_rotation_asks_for_a_new_owner_token_and_reads_it()
    {
        Uri? asked = null;
        using var custodian = Client(request =>
        {
            asked = request.RequestUri;
            return Answer(HttpStatusCode.OK, JsonSerializer.Serialize(new { ownerToken = "NEWCODE123" }))(request);
        });
        using var ttjs = Client(Answer(HttpStatusCode.NoContent));

        var rotated = await custodian.UnclaimAsync(DevEui, rotateCode: true, Ct);
        var plain = await ttjs.UnclaimAsync(DevEui, rotateCode: true, Ct);

        asked!.PathAndQuery.Should().Be("/base/api/v2/devices/0004A30B001C0530/claim?regenerateOwnerToken=true");
        rotated.NewClaimCode.Should().Be(ClaimCode.Parse("NEWCODE123"));
        plain.Should().Be(new RemoteUnclaim(null, null), "a TTJS unclaims without rotating");
    }

    private sealed class StubHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            answer(request).WaitAsync(cancellationToken);
    }
}

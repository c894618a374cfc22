using System.Net;
using System.Text;

namespace Custodian.Server.Tests.Fuzz;

/// <summary>
/// Regression tests for what <see cref="HttpFuzzTests"/> found: a JSON body whose strings are not Unicode text (invalid
/// UTF-8 bytes, an unpaired surrogate escape) was a 500 on the endpoints that read the body untyped (the claims).
/// </summary>
public sealed class JsonBodyUnicodeTests
{
    public static TheoryData<string, string> Bodies() => new()
    {
        { "/api/v1/claims", "{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00000000000F0001\",\"claimCode\":\"FU\\ud800ZZ\"}" },
        { "/api/v1/claims", "{\"qr\":\"LW:D0:70B3D57ED0000000:00000000000F0001:42FFFF42:O\\udc00\"}" },
        { "/api/v1/claims", "{\"joinEui\":\"70B3D57ED0000000\",\"devEui\":\"00000000000F0001\",\"claimCode\":\"FU\u00FFZZ\"}" },
        { "/api/v1/claims/batch", "{\"claims\":[{\"joinEui\":\"70B3D57E\\ud800D0000000\",\"devEui\":\"00000000000F0001\",\"claimCode\":\"FUZZ0001\"}]}" },
        { "/api/v1/claims/batch", "{\"cl\u00E2\u0082ims\":[]}" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_with_a_string_that_is_not_Unicode_is_a_400(string path, string body)
    {
        await using var server = await TestServer.StartAsync();
        var tenant = await server.TenantAsync("t1", "devices:claim");
        // Latin-1 writes each char (all below U+0100) as one byte: U+00FF and U+00E2 U+0082 become invalid UTF-8 bytes.
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await tenant.PostAsync(path, content, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        problem.Detail().Should().Contain("not Unicode text");
    }
}

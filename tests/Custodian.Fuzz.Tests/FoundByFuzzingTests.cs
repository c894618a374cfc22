using System.Text;
using Custodian.ClaimFiles;

namespace Custodian.Fuzz.Tests;

/// <summary>Regression tests for what fuzzing found in the parsers, each with the answer the parser now gives.</summary>
public sealed class FoundByFuzzingTests
{
    [Theory]
    [InlineData("{\"devEui\":\"0004A30B001C0530\",\"joinEui\":\"70B3D57ED0000000\",\"claimCode\":\"AB\\ud800CD\"}")]
    [InlineData("{\"ids\":{\"dev_eui\":\"0004A30B001C0530\",\"join_eui\":\"70B3D57E\\udc00D0000000\"}}")]
    [InlineData("{\"qr\\udbff\":\"x\"}")]
    public void A_JSON_claim_item_with_an_unpaired_surrogate_escape_is_an_unreadable_row(string json)
    {
        var rows = JsonClaimReader.Rows(new MemoryStream(Encoding.UTF8.GetBytes(json))).ToList();

        rows.Should().ContainSingle().Which.Problem.Should().Contain("not Unicode");
    }

    [Fact]
    public void A_JSON_claim_item_with_invalid_UTF8_in_a_string_is_an_unreadable_row()
    {
        byte[] json = [.. "{\"devEui\":\"0004A30B001C0530\",\"joinEui\":\"70B3D57ED0000000\",\"claimCode\":\"AB"u8, 0xED, 0xA0, 0x80, .. "CD\"}\n{\"devEui\":\"0004A30B001C0531\",\"joinEui\":\"70B3D57ED0000000\",\"claimCode\":\"ABCD1234\"}"u8];

        var rows = JsonClaimReader.Rows(new MemoryStream(json)).ToList();

        rows.Should().HaveCount(2);
        rows[0].Problem.Should().Contain("not Unicode");
        rows[1].IsSendable.Should().BeTrue("one bad item does not stop the file");
    }
}

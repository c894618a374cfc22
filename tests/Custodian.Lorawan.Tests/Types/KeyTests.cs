using Custodian.Lorawan.Crypto;

namespace Custodian.Lorawan.Tests.Types;

public sealed class KeyTests
{
    private const string Hex = "2B7E151628AED2A6ABF7158809CF4F3C";
    private static readonly Key128 Key = Key128.Parse(Hex);

    public static TheoryData<object> KeyHolders => new(new object[]
    {
        Key,
        new AppKey(Key),
        new NwkKey(Key),
        new AppSKey(Key),
        new NwkSKey(Key),
        new FNwkSIntKey(Key),
        new SNwkSIntKey(Key),
        new NwkSEncKey(Key),
        new JSIntKey(Key),
        new JSEncKey(Key),
        new RootWorSKey(Key),
        SessionKeys.FromLorawan10(new NwkSKey(Key), new AppSKey(Key)),
        RootKeys.ForLorawan11(new NwkKey(Key), new AppKey(Key)),
    });

    [Theory]
    [MemberData(nameof(KeyHolders))]
    public void Text_never_contains_the_key(object holder)
    {
        var text = holder.ToString()!;
        text.Should().NotContainEquivalentOf(Hex);
        text.Should().NotContainEquivalentOf(Hex[..8]);
        text.Should().Contain("redacted");
    }

    [Fact]
    public void Export_is_the_one_way_out()
    {
        Key.ExportSecretHex().Should().Be(Hex);
        Key128.Parse(Hex.ToLowerInvariant()).Should().Be(Key);
    }

    [Theory]
    [InlineData("", "Key is empty.")]
    [InlineData("2B7E", "Key must be 32 hex digits, got 4 characters.")]
    [InlineData("2B7E151628AED2A6ABF7158809CF4F3Z", "Key has a non-hex character.")]
    public void Bad_key_text_is_refused_without_echoing_it(string text, string message)
    {
        Key128.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be(message);
    }
}

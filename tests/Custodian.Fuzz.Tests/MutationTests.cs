using System.Globalization;

namespace Custodian.Fuzz.Tests;

/// <summary>
/// A short, seeded, blind mutation pass over the corpus (bit flips, byte changes, inserts, deletes, truncation,
/// splices of two inputs, repeats): not coverage-guided like fuzz/run.sh, but cheap enough for every CI run.
/// CUSTODIAN_FUZZ_SEED replays a failing seed; the seed and the input are in the failure message.
/// </summary>
public sealed class MutationTests
{
    private const int MutationsPerTarget = 3000;

    public static TheoryData<string> Targets() => new(FuzzTargets.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Mutated_corpus_inputs_are_accepted_or_refused_with_a_typed_error(string target)
    {
        var seed = Environment.GetEnvironmentVariable("CUSTODIAN_FUZZ_SEED") is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var corpus = Corpus.Files(target).Select(file => Corpus.Read(target, file)).ToArray();
        corpus.Should().NotBeEmpty();

        for (var i = 0; i < MutationsPerTarget; i++)
        {
            var input = Mutator.Mutate(random, corpus[random.Next(corpus.Length)], corpus[random.Next(corpus.Length)]);
            try
            {
                FuzzTargets.All[target](input);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{target}: mutation {i} of CUSTODIAN_FUZZ_SEED={seed} crashed the parser with {e.GetType().Name}: {e.Message}\n"
                    + $"input ({input.Length} bytes): {Convert.ToHexString(input)}\n{e}");
            }
        }
    }
}

/// <summary>AFL-style havoc mutations of byte strings, from a seeded <see cref="Random"/>.</summary>
internal static class Mutator
{
    private static readonly byte[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, (byte)'"', (byte)',', (byte)';', (byte)'\n', (byte)'\r', (byte)':', (byte)'=', (byte)'{', (byte)'[', (byte)'\\', 0xC3, 0xED];

    public static byte[] Mutate(Random random, byte[] first, byte[] second)
    {
        var bytes = new List<byte>(first);
        var steps = 1 + random.Next(8);
        for (var step = 0; step < steps; step++)
        {
            Apply(random, bytes, second);
        }
        return [.. bytes];
    }

    private static void Apply(Random random, List<byte> bytes, byte[] other)
    {
        var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
        switch (random.Next(bytes.Count == 0 ? 1 : 7))
        {
            case 0:
                bytes.Insert(at, random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256));
                break;
            case 1:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 2:
                bytes[at] = Interesting[random.Next(Interesting.Length)];
                break;
            case 3:
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                break;
            case 4:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 5:
                bytes.InsertRange(at, other.Skip(random.Next(other.Length + 1)).Take(1 + random.Next(64)));
                break;
            default:
                var length = Math.Min(bytes.Count - at, 1 + random.Next(16));
                bytes.InsertRange(at, bytes.GetRange(at, length));
                break;
        }
    }
}

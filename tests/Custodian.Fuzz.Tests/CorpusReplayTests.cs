namespace Custodian.Fuzz.Tests;

/// <summary>
/// Every input of the committed corpus (the seeds and what AFL++ found to reach new code) runs through its parser: each
/// is either accepted or refused with the parser's own error, never another exception or a broken round trip.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Corpus.Targets())
        {
            foreach (var file in Corpus.Files(target))
            {
                data.Add(target, file);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Corpus_input_is_accepted_or_refused_with_a_typed_error(string target, string file)
    {
        var input = Corpus.Read(target, file);

        var run = () => FuzzTargets.All[target](input);

        run.Should().NotThrow($"fuzz/corpus/{target}/{file} ({Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 256)))}) must not crash the parser");
    }

    [Fact]
    public void Every_target_has_a_corpus_and_every_corpus_a_target()
    {
        Corpus.Targets().Should().BeEquivalentTo(FuzzTargets.All.Keys);
        foreach (var target in FuzzTargets.All.Keys)
        {
            Corpus.Files(target).Should().NotBeEmpty($"fuzz/corpus/{target} seeds the fuzzer");
        }
    }
}

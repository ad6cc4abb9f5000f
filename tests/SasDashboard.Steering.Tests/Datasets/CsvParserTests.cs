using SasDashboard.Steering.Datasets;

namespace SasDashboard.Steering.Tests.Datasets;

public sealed class CsvParserTests
{
    private static IReadOnlyList<CsvRecord> Parse(string text, int headerRecords = 0) => CsvParser.Parse(text, "x.csv", headerRecords);

    [Fact]
    public void Splits_unquoted_fields_at_commas_and_records_at_line_breaks()
    {
        var records = Parse("a,b,c\nd,e,f\n");

        Assert.Equal([["a", "b", "c"], ["d", "e", "f"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2], records.Select(r => r.LineNumber));
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var records = Parse("\"one, two\",\"say \"\"hi\"\"\",\"first\nsecond\r\nthird\"\nnext,row,here");

        Assert.Equal(["one, two", "say \"hi\"", "first\nsecond\r\nthird"], records[0].Fields);
        Assert.Equal(4, records[1].LineNumber);
    }

    [Theory]
    [InlineData("a,b\r\nc,d\r\n")]
    [InlineData("a,b\rc,d")]
    [InlineData("a,b\n\n\nc,d")]
    public void Accepts_CRLF_CR_and_LF_and_skips_empty_lines(string text)
    {
        Assert.Equal([["a", "b"], ["c", "d"]], Parse(text).Select(r => r.Fields));
    }

    [Fact]
    public void Counts_lines_past_skipped_empty_lines()
    {
        Assert.Equal([1, 4], Parse("a,b\n\n\nc,d").Select(r => r.LineNumber));
    }

    [Fact]
    public void Keeps_empty_fields_including_a_trailing_one()
    {
        Assert.Equal(["", "b", ""], Parse(",b,\n").Single().Fields);
        Assert.Equal(["a", ""], Parse("a,").Single().Fields);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_literal()
    {
        Assert.Equal(["a 5\" screen", "b"], Parse("a 5\" screen,b").Single().Fields);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_an_error_with_its_line()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Parse("a,b\n\"bad\"x,c"));

        Assert.Equal("x.csv, record 2 (line 2): unexpected 'x' after the closing quote of a field (a quote inside a quoted field is written \"\")",
            error.Message);
    }

    [Fact]
    public void An_unclosed_quote_is_reported_at_the_line_it_opens()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Parse("h1,h2\na,b\nc,\"never\nclosed", headerRecords: 1));

        Assert.Equal("x.csv, record 2 (line 3): a quoted field is never closed (missing '\"')", error.Message);
    }
}

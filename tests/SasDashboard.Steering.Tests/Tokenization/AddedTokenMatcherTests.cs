using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Steering.Tests.Tokenization;

public sealed class AddedTokenMatcherTests
{
    [Fact]
    public void Split_OverlappingTokens_TakesTheLeftmostLongestMatch()
    {
        var matcher = new AddedTokenMatcher([new AddedToken(1, "<a>"), new AddedToken(2, "<a><b>"), new AddedToken(3, "b><c")]);

        var pieces = matcher.Split("x<a><b><c<a>");

        Assert.Equal(
        [
            new AddedTokenMatcher.Piece(0, 1, null), new AddedTokenMatcher.Piece(1, 6, 2),
            new AddedTokenMatcher.Piece(7, 2, null), new AddedTokenMatcher.Piece(9, 3, 1),
        ], pieces);
    }

    [Fact]
    public void Split_TextWithoutTokens_IsOnePlainPiece()
    {
        var matcher = new AddedTokenMatcher([new AddedToken(1, "<a>")]);

        Assert.Equal([new AddedTokenMatcher.Piece(0, 5, null)], matcher.Split("a < b"));
    }
}

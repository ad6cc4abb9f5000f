namespace SasDashboard.Steering.Tokenization;

/// <summary>
/// A token matched as a whole wherever its text appears (Hugging Face's <c>added_tokens</c>). <paramref name="Special"/>
/// tokens (BOS, EOS, turn markers) are dropped by <c>Decode(skipSpecialTokens: true)</c>.
/// </summary>
public sealed record AddedToken(int Id, string Content, bool Special = true);

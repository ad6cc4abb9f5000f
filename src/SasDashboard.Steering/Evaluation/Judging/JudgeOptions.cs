namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// Where and how to reach an OpenAI-compatible judge. Plain settable properties so that configuration binding
/// (e.g. a "Judge" section) fills them; <see cref="FromEnvironment()"/> reads <c>SAS_JUDGE_*</c> variables.
/// </summary>
public sealed record JudgeOptions
{
    public const string BaseUrlVariable = "SAS_JUDGE_BASE_URL";
    public const string ModelVariable = "SAS_JUDGE_MODEL";
    public const string ApiKeyVariable = "SAS_JUDGE_API_KEY";

    /// <summary>
    /// The API root, e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:8000/v1</c>;
    /// <c>/chat/completions</c> is appended.
    /// </summary>
    public string BaseUrl { get; set; } = "";

    public string Model { get; set; } = "";

    /// <summary>Sent as a bearer token; null or empty sends no Authorization header (local servers need none).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries after the first attempt, for 408/429/5xx replies, network errors and timeouts.</summary>
    public int MaxRetries { get; set; } = 5;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry's back-off; it doubles with every further retry (up to a minute), with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Requests in flight at once per judge, back-off waits included.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>The reply budget; the judge is asked to end with "Score: N", so a few tokens suffice.</summary>
    public int MaxTokens { get; set; } = 64;

    /// <summary>
    /// Options from <c>SAS_JUDGE_BASE_URL</c>, <c>SAS_JUDGE_MODEL</c> and <c>SAS_JUDGE_API_KEY</c> (other settings at
    /// their defaults); null unless the first two are set.
    /// </summary>
    public static JudgeOptions? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    internal static JudgeOptions? FromEnvironment(Func<string, string?> variable) =>
        variable(BaseUrlVariable) is { Length: > 0 } baseUrl && variable(ModelVariable) is { Length: > 0 } model
            ? new JudgeOptions { BaseUrl = baseUrl, Model = model, ApiKey = variable(ApiKeyVariable) }
            : null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Judge BaseUrl '{BaseUrl}' is not an absolute http(s) URL", nameof(BaseUrl));
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("Judge Model is not set", nameof(Model));
        if (MaxRetries < 0) throw new ArgumentException($"Judge MaxRetries must be ≥ 0, is {MaxRetries}", nameof(MaxRetries));
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"Judge RequestTimeout must be positive, is {RequestTimeout}", nameof(RequestTimeout));
        if (InitialBackoff < TimeSpan.Zero)
            throw new ArgumentException($"Judge InitialBackoff must be ≥ 0, is {InitialBackoff}", nameof(InitialBackoff));
        if (MaxConcurrency < 1)
            throw new ArgumentException($"Judge MaxConcurrency must be ≥ 1, is {MaxConcurrency}", nameof(MaxConcurrency));
        if (MaxTokens < 1) throw new ArgumentException($"Judge MaxTokens must be ≥ 1, is {MaxTokens}", nameof(MaxTokens));
    }
}

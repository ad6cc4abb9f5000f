using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SasDashboard.Steering.Evaluation.Judging;

/// <summary>
/// A judge behind an OpenAI-compatible <c>POST {BaseUrl}/chat/completions</c> (OpenAI, vLLM, llama.cpp, Ollama, …),
/// asked at temperature 0. Transient failures (408, 429, 5xx, network errors, timeouts) are retried up to
/// <see cref="JudgeOptions.MaxRetries"/> times, waiting for <c>Retry-After</c> when the server sends one and with
/// exponential back-off otherwise. Scored judgments are cached when a <see cref="JudgmentCache"/> is given.
/// </summary>
public sealed class OpenAiCompatibleJudge : IJudge, IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private const int ErrorBodyChars = 500;

    private readonly JudgeOptions _options;
    private readonly JudgmentCache? _cache;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SemaphoreSlim _slots;
    private readonly Uri _endpoint;

    /// <param name="httpClient">Shared client to use (not disposed here); by default the judge owns one.</param>
    public OpenAiCompatibleJudge(JudgeOptions options, JudgmentCache? cache = null, HttpClient? httpClient = null)
    {
        options.Validate();
        _options = options with { }; // a copy: later changes to the caller's options do not half-apply
        _cache = cache;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _endpoint = new Uri(_options.BaseUrl.TrimEnd('/') + "/chat/completions");
    }

    public async Task<Judgment> ScoreAsync(string prompt, string output, JudgeRubric rubric, CancellationToken ct)
    {
        var key = JudgmentCache.KeyFor(prompt, output, _options.Model, rubric);
        if (_cache?.Find(key) is { } cached) return cached;

        Judgment judgment;
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            judgment = await RequestWithRetriesAsync(JudgePrompt.User(rubric, prompt, output), rubric, ct).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
        if (judgment.Score is not null && _cache is not null) await _cache.AddAsync(key, judgment, ct).ConfigureAwait(false);
        return judgment;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _slots.Dispose();
    }

    private async Task<Judgment> RequestWithRetriesAsync(string userMessage, JudgeRubric rubric, CancellationToken ct)
    {
        var body = RequestBody(userMessage);
        for (int attempt = 0; ; attempt++)
        {
            var (judgment, failure, lastBody, retryAfter) = await AttemptAsync(body, rubric, ct).ConfigureAwait(false);
            if (judgment is not null) return judgment;
            if (attempt == _options.MaxRetries)
                return Failed(lastBody, rubric, $"gave up after {attempt + 1} attempt(s); last: {failure}");
            await Task.Delay(retryAfter ?? Backoff(attempt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>One request: a judgment (scored, or a failure not worth retrying), or why it should be retried.</summary>
    private async Task<(Judgment? Judgment, string? Failure, string Body, TimeSpan? RetryAfter)> AttemptAsync(
        string requestBody, JudgeRubric rubric, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new StringContent(requestBody, Encoding.UTF8, "application/json"),
            };
            if (!string.IsNullOrEmpty(_options.ApiKey))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return (ReadReply(body, rubric), null, body, null);

            var failure = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(body)}";
            return IsTransient(response.StatusCode)
                ? (null, failure, body, RetryAfter(response))
                : (Failed(body, rubric, failure), null, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return (null, $"network error: {e.Message}", "", null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"no reply within {_options.RequestTimeout.TotalSeconds:0.###} s", "", null);
        }
    }

    private string RequestBody(string userMessage) => new JsonObject
    {
        ["model"] = _options.Model,
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = JudgePrompt.System },
            new JsonObject { ["role"] = "user", ["content"] = userMessage }),
        ["temperature"] = 0,
        ["max_tokens"] = _options.MaxTokens,
    }.ToJsonString();

    private Judgment ReadReply(string body, JudgeRubric rubric)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return Failed(body, rubric, $"the reply is not JSON ({e.Message})");
        }
        var model = root?["model"] is JsonValue m && m.TryGetValue(out string? name) && name.Length > 0 ? name : _options.Model;
        if (root?["choices"] is not JsonArray { Count: > 0 } choices
            || choices[0]?["message"]?["content"] is not JsonValue content
            || !content.TryGetValue(out string? text))
            return Failed(body, rubric, "the reply has no choices[0].message.content") with { Model = model };
        var (score, error) = JudgeReplyScore.Parse(text);
        return new Judgment(score, text, model, rubric.Id, FromCache: false, error);
    }

    private Judgment Failed(string rawReply, JudgeRubric rubric, string error) =>
        new(null, rawReply, _options.Model, rubric.Id, FromCache: false, error);

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The server's <c>Retry-After</c>, in seconds or as an HTTP date; null when absent.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>InitialBackoff · 2^attempt, capped, scaled by a random 50–100% so parallel sweeps do not retry in step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.InitialBackoff * Math.Pow(2, Math.Min(attempt, 30));
        var capped = exponential < MaxBackoff ? exponential : MaxBackoff;
        return capped * (0.5 + Random.Shared.NextDouble() / 2);
    }

    private static string Shorten(string body) => body.Length <= ErrorBodyChars ? body : body[..ErrorBodyChars] + "…";
}

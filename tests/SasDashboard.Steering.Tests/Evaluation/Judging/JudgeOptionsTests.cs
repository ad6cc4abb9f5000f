using SasDashboard.Steering.Evaluation.Judging;

namespace SasDashboard.Steering.Tests.Evaluation.Judging;

public sealed class JudgeOptionsTests
{
    private static Func<string, string?> Environment(Dictionary<string, string> variables) => name => variables.GetValueOrDefault(name);

    [Fact]
    public void Reads_URL_model_and_key_from_the_SAS_JUDGE_variables()
    {
        var options = JudgeOptions.FromEnvironment(Environment(new()
        {
            ["SAS_JUDGE_BASE_URL"] = "http://localhost:8000/v1",
            ["SAS_JUDGE_MODEL"] = "llama-judge",
            ["SAS_JUDGE_API_KEY"] = "secret",
        }));

        Assert.NotNull(options);
        Assert.Equal(("http://localhost:8000/v1", "llama-judge", "secret"), (options.BaseUrl, options.Model, options.ApiKey));
        Assert.Equal(new JudgeOptions().MaxRetries, options.MaxRetries);
    }

    [Theory]
    [InlineData("SAS_JUDGE_BASE_URL")]
    [InlineData("SAS_JUDGE_MODEL")]
    public void Is_not_configured_without_URL_and_model(string missing)
    {
        var variables = new Dictionary<string, string> { ["SAS_JUDGE_BASE_URL"] = "http://localhost:8000/v1", ["SAS_JUDGE_MODEL"] = "m" };
        variables.Remove(missing);

        Assert.Null(JudgeOptions.FromEnvironment(Environment(variables)));
    }

    [Theory]
    [InlineData("localhost:8000", "m", 3, 1, "BaseUrl")]
    [InlineData("ftp://example.org/v1", "m", 3, 1, "BaseUrl")]
    [InlineData("http://localhost:8000/v1", " ", 3, 1, "Model")]
    [InlineData("http://localhost:8000/v1", "m", -1, 1, "MaxRetries")]
    [InlineData("http://localhost:8000/v1", "m", 3, 0, "MaxConcurrency")]
    public void A_judge_refuses_options_that_cannot_work(string baseUrl, string model, int maxRetries, int maxConcurrency, string setting)
    {
        var options = new JudgeOptions { BaseUrl = baseUrl, Model = model, MaxRetries = maxRetries, MaxConcurrency = maxConcurrency };

        var error = Assert.Throws<ArgumentException>(() => new OpenAiCompatibleJudge(options));

        Assert.Equal(setting, error.ParamName);
    }
}

using System.CommandLine;
using SasDashboard.Cli.Configuration;
using SasDashboard.Steering.Generation;
using SasDashboard.Steering.Models;
using SasDashboard.Steering.Steering;
using SasDashboard.Steering.Tokenization;

namespace SasDashboard.Cli.Commands;

/// <summary><c>sas generate</c>: a continuation of a prompt, optionally steered.</summary>
public static class GenerateCommand
{
    public static Command Create(EngineOptions engine)
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string>("--prompt") { Description = "The prompt text.", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 1 };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 0 };
        var template = new Option<string>("--template")
        {
            Description = "none (the prompt as given), auto (the model's chat template), gemma, llama3 or plain.",
            DefaultValueFactory = _ => "none",
        };
        var device = CommonOptions.Device(engine);
        var dtype = CommonOptions.DType(engine);
        var json = CommonOptions.Json();
        var steering = new SteeringOptions();
        var command = new Command("generate", "Generate a continuation of a prompt, optionally steered.")
        {
            model, prompt, maxNew, temperature, topP, seed, template, device, dtype, json,
        };
        foreach (var option in steering.All) command.Add(option);

        command.SetAction(async (result, output, ct) =>
        {
            var target = CommonOptions.Target(result, device, dtype);
            var directory = result.GetValue(model)!;
            var tokenizer = ModelTokenizer.Load(directory);
            string text = result.GetValue(prompt)!;
            text = result.GetValue(template) switch
            {
                "none" => text,
                "auto" => tokenizer.Template.Format(text),
                var name => PromptTemplate.FromName(name!).Format(text),
            };
            var options = new GenerationOptions(result.GetValue(maxNew),
                new SamplingOptions(result.GetValue(temperature), result.GetValue(topP), result.GetValue(seed)));

            var setup = steering.Setup(result);

            var generated = await Task.Run(() =>
            {
                using var lm = ModelLoader.Load(directory, target);
                using var library = new SteeringLibrary(target, lm.Config);
                using var hook = library.CreateHook(setup);
                return TextGenerator.Generate(lm, tokenizer, [text], options, hook is null ? null : [hook],
                    cancellationToken: ct)[0];
            }, ct);

            if (result.GetValue(json))
                await output.WriteJsonAsync(new
                {
                    prompt = generated.Prompt,
                    prompt_ids = generated.PromptIds,
                    generated_ids = generated.GeneratedIds,
                    text = generated.Text,
                    stopped_at_eos = generated.StoppedAtEos,
                });
            else
                await output.WriteLineAsync(generated.Text);
        });
        return command;
    }
}

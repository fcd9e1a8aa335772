using System.Text.Json;

namespace MetaRL.Host.Tests;

public sealed class BaselinesCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Theory]
    [InlineData("--env", "--env nope", "bernoulli-bandit")]
    [InlineData("--arms", "--env bernoulli-bandit --arms 0", "from 1 to")]
    [InlineData("--pulls", "--env bernoulli-bandit --pulls -3", "from 1 to")]
    [InlineData("--trials", "--env bernoulli-bandit --trials -5", "from 1 to")]
    [InlineData("--trials", "--env bernoulli-bandit --trials many", "Int32")]
    [InlineData("--split", "--env bernoulli-bandit --split validation", "train, test, ood")]
    [InlineData("--episodes", "--env bernoulli-bandit --episodes 4", "--arms, --pulls")]
    [InlineData("--env", "--arms 5", "bernoulli-bandit")]
    [InlineData("--frobnicate", "--env bernoulli-bandit --frobnicate", "Unrecognized")]
    [InlineData("--arms", "--env tabular-mdp --arms 3", "--episodes")]
    [InlineData("--episodes", "--env tabular-mdp --episodes 0", "from 1 to")]
    [InlineData("--states", "--env tabular-mdp --states -1", "from 1 to")]
    [InlineData("--env", "--env dark-rooms", "dark-room")]
    [InlineData("--arms", "--env dark-room --arms 5", "it takes --episodes, --horizon")]
    [InlineData("--pulls", "--env maze --pulls 5", "it takes --episodes, --horizon")]
    [InlineData("--horizon", "--env tabular-mdp --horizon 0", "from 1 to")]
    [InlineData("--schedule", "--env point-navigation --schedule switch-every:5", "needs a family with tracking baselines (bernoulli-bandit")]
    [InlineData("--schedule", "--env dark-room --schedule switch-every:5", "needs a family with tracking baselines")]
    public void Bad_input_gets_one_line_naming_the_option_and_exit_code_2(string option, string args, string allowed)
    {
        var (code, stdout, stderr) = Run(["baselines", .. args.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(option, lines[0]);
        Assert.Contains(allowed, lines[0]);
    }

    [Fact]
    public void Json_is_one_object_with_every_baseline_and_nothing_else()
    {
        var (code, stdout, stderr) = Run("baselines", "--env", "bernoulli-bandit", "--arms", "5", "--pulls", "10", "--trials", "300", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout); // throws on anything but one JSON value
        var root = doc.RootElement;
        Assert.Equal("bernoulli-bandit", root.GetProperty("env").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["Random", "Gittins", "TS", "OTS", "UCB1", "ε-Greedy", "Greedy", "Oracle"], results.Select(r => r.GetProperty("policy").GetString()));
        foreach (var r in results)
        {
            Assert.InRange(r.GetProperty("mean").GetDouble(), 0, 10);
            Assert.InRange(r.GetProperty("stderr").GetDouble(), 0.01, 1);
        }
        double Mean(string p) => results.Single(r => r.GetProperty("policy").GetString() == p).GetProperty("mean").GetDouble();
        Assert.True(Mean("Oracle") > Mean("Gittins") && Mean("Gittins") > Mean("Random"));
    }

    [Fact]
    public void Dark_room_runs_its_own_suite_from_random_actions_through_q_learning_to_the_oracle()
    {
        var (code, stdout, stderr) = Run("baselines", "--env", "dark-room", "--trials", "100", "--json");
        Assert.True(code == 0, stderr);
        var results = JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["Random", "Q-learning", "Q-learning (optimistic)", "Oracle"], results.Select(r => r.GetProperty("policy").GetString()));
        double Mean(string p) => results.Single(r => r.GetProperty("policy").GetString() == p).GetProperty("mean").GetDouble();
        Assert.True(Mean("Oracle") > Mean("Q-learning (optimistic)") && Mean("Q-learning (optimistic)") > Mean("Random"), stdout);
        Assert.InRange(Mean("Oracle"), 10 * 13, 10 * 20); // 10 episodes of 13 (a corner) to 20 (the centre)

        // The family's knobs reach its envs: 5-step episodes leave the oracle at most 5 an episode, none for a far goal.
        (code, stdout, stderr) = Run("baselines", "--env", "dark-room", "--horizon", "5", "--trials", "100", "--json");
        Assert.True(code == 0, stderr);
        var oracle = JsonDocument.Parse(stdout).RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("policy").GetString() == "Oracle");
        Assert.InRange(oracle.GetProperty("mean").GetDouble(), 1, 10 * 5 - 1);
    }

    [Fact]
    public void Tabular_mdp_json_has_every_baseline_with_the_oracle_on_top()
    {
        var (code, stdout, stderr) = Run("baselines", "--env", "tabular-mdp", "--episodes", "3", "--trials", "100", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("tabular-mdp", doc.RootElement.GetProperty("env").GetString());
        var means = doc.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("policy").GetString()!, r => r.GetProperty("mean").GetDouble());
        Assert.Equal(["Random", "PSRL", "OPSRL", "UCRL2", "BEB", "ε-Greedy", "Greedy", "Oracle"], means.Keys);
        Assert.All(means.Where(m => m.Key != "Oracle"), m => Assert.True(means["Oracle"] > m.Value, m.Key));
    }

    [Fact]
    public void Same_seed_prints_byte_identical_output_whatever_the_threads()
    {
        string[] args = ["baselines", "--env", "bernoulli-bandit", "--pulls", "20", "--trials", "200", "--seed", "5"];
        var a = Run([.. args, "--threads", "1"]);
        var b = Run([.. args, "--threads", "2"]);
        var c = Run(["baselines", "--env", "bernoulli-bandit", "--pulls", "20", "--trials", "200", "--seed", "6"]);
        Assert.Equal(0, a.Code);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
        Assert.Contains("Gittins", a.Out);
        Assert.Contains("± s.e.", a.Out);
    }

    [Fact]
    public void Table_shows_the_papers_figures_for_its_setups()
    {
        var (code, stdout, _) = Run("baselines", "--env", "bernoulli-bandit", "--arms", "10", "--pulls", "10", "--trials", "100");
        Assert.Equal(0, code);
        Assert.Contains("RL² paper", stdout);
        // Each policy's row ends with the paper's figure and the relative difference, e.g. UCB1's 6.7 for k = 10, n = 10.
        var ucb = Assert.Single(stdout.Split('\n'), l => l.Contains(" UCB1 "));
        var cells = ucb.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("6.7", cells[3]);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        double ours = double.Parse(cells[1], invariant), delta = double.Parse(cells[4].TrimEnd('%', ' '), invariant);
        Assert.InRange(delta, (ours - 0.005) / 6.7 * 100 - 100 - 0.05, (ours + 0.005) / 6.7 * 100 - 100 + 0.05); // the mean shown is rounded
        var (_, other, _) = Run("baselines", "--env", "bernoulli-bandit", "--arms", "3", "--pulls", "10", "--trials", "100");
        Assert.DoesNotContain("RL² paper", other);
    }
}

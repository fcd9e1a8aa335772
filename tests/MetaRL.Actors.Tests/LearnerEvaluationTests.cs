using System.Diagnostics;
using Akka.Actor;
using MetaRL.Actors.Inference;
using MetaRL.Actors.Learning;
using MetaRL.Actors.Tests.TestDoubles;
using Xunit.Abstractions;

namespace MetaRL.Actors.Tests;

/// <summary>Evaluation during training: which versions the learner scores, with what, and that the run's clock leaves it out.</summary>
public sealed class LearnerEvaluationTests(ITestOutputHelper output) : ActorsTestKit(output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Scores a version as its first parameter, taking <see cref="Cost"/> to do it; records what it scored.</summary>
    private sealed class SlowEvaluator : IHeldOutEvaluator
    {
        public static readonly TimeSpan Cost = TimeSpan.FromMilliseconds(400);

        public List<float[]> Scored { get; } = [];

        public bool Disposed { get; private set; }

        public HeldOutScore Evaluate(float[] parameters)
        {
            lock (Scored) Scored.Add(parameters);
            Thread.Sleep(Cost);
            return new HeldOutScore(parameters[0] * 10, 0.5, Cost.TotalSeconds);
        }

        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void Every_nth_version_and_the_last_are_scored_before_they_are_published_and_off_the_run_s_clock()
    {
        var batcher = CreateTestProbe("batcher");
        var report = CreateTestProbe("population");
        var evaluator = new SlowEvaluator();
        var clock = Stopwatch.StartNew();
        var settings = new LearnerSettings(BatchingMode.Lockstep, 1, 0, TotalUpdates: 3, Evaluation: new LearnerEvaluation(2, () => evaluator));
        var learner = Sys.ActorOf(Props.Create(() => new Learner(() => new RecordingTrainer(), settings, new[] { batcher.Ref }, report.Ref,
            () => new RunCounters(0, 0, 0, 0, clock.Elapsed.TotalSeconds))), "learner");
        batcher.ExpectMsg<ParametersUpdated>(p => p.Version == 0, Wait);
        report.ExpectMsg<LearnerStarted>(Wait);

        var rows = new List<UpdateCompleted>();
        for (int v = 1; v <= 3; v++)
        {
            learner.Tell(new TrialCompleted(Trials.OneStep(0, v - 1, v - 1, 1)), ActorRefs.Nobody);
            batcher.ExpectMsg<ParametersUpdated>(p => p.Version == v, Wait);
            // Published only once scored: by the time version 2 reaches the batcher, its evaluation has run.
            if (v == 2) Assert.Single(evaluator.Scored);
            rows.Add(report.ExpectMsg<UpdateCompleted>(Wait));
        }
        double elapsed = clock.Elapsed.TotalSeconds;

        Assert.Null(rows[0].Eval);
        Assert.Equal(new HeldOutScore(20, 0.5, SlowEvaluator.Cost.TotalSeconds), rows[1].Eval); // version 2: every 2nd
        Assert.Equal(30, rows[2].Eval!.Mean); // the last version, though 3 is not a multiple of 2
        Assert.Equal([[2f], [3f]], evaluator.Scored); // each with its own version's parameters
        // Version 3's counters were read after version 2's evaluation and before its own: with version 2's taken out,
        // its clock is at least two evaluations short of the time elapsed (one, were evaluations left on the clock).
        Assert.True(rows[2].Counters.Seconds <= elapsed - 2 * SlowEvaluator.Cost.TotalSeconds,
            $"version 3 at {rows[2].Counters.Seconds:0.000} s of training, {elapsed:0.000} s elapsed with a {SlowEvaluator.Cost.TotalSeconds} s evaluation");
        Assert.True(rows[2].Counters.Seconds > rows[1].Counters.Seconds);

        Sys.Stop(learner);
        AwaitCondition(() => evaluator.Disposed, Wait); // the learner owns what its factory built
    }
}

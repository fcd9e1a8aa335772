using MetaRL.Environments;
using MetaRL.Environments.Baselines;
using MetaRL.Environments.Policies;
using MetaRL.Environments.Spaces;

namespace MetaRL.Extensions.Tests;

/// <summary>
/// The two doors (<see cref="TwoDoors"/>) under another name, with a classical suite of the test's own, declared as a
/// user would: random doors, the door that paid most so far, the door that paid most of the last w (tuned under a
/// schedule), and an oracle told the prize's door.
/// </summary>
public static class SwitchingDoors
{
    public static EnvFamily<int, int, DoorTask> Family { get; } = new("switching-doors",
        "Two doors with a classical suite: the prize's door may switch under a schedule",
        episodesPerTrial: 20, optionNames: [],
        distribution: o => TwoDoors.Family.CreateDistribution(o with { Schedule = null }),
        env: (o, task) => new TwoDoorsEnv(task),
        baselines: new((_, _) =>
        [
            new("Random", "either door", () => new RandomActions<int, int>(new Discrete(2))),
            new("Majority", "the door that paid most so far", () => new MajorityDoor(int.MaxValue)),
            new("Oracle", "told the prize's door", () => new DoorOracle()),
        ])
        {
            Tracking = (_, _) => [new("Majority of w", [1, 8], w => new MajorityDoor((int)w), w => $"the last {w} doors")],
        });

    /// <summary>Opens the door that paid most often among the last <paramref name="window"/> openings (door 0 on a tie).</summary>
    private sealed class MajorityDoor(int window) : IPolicy<int, int>
    {
        private readonly Queue<(int Door, double Paid)> _seen = new();

        public string Name => "Majority";

        public void BeginTrial(Random rng) => _seen.Clear();

        public int Act(int obs)
        {
            double lean = _seen.Sum(s => (s.Door == 1 ? 1 : -1) * (2 * s.Paid - 1));
            return lean > 0 ? 1 : 0;
        }

        public void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated)
        {
            _seen.Enqueue((action, reward));
            if (_seen.Count > window) _seen.Dequeue();
        }
    }

    /// <summary>Told the task, and every change of it: always the prize's door.</summary>
    private sealed class DoorOracle : IPolicy<int, int>, ITaskTrackingPolicy<DoorTask>
    {
        private int _prize;

        public string Name => "Oracle";
        public void SetTask(DoorTask task) => _prize = task.Prize;
        public void BeginTrial(Random rng) { }
        public int Act(int obs) => _prize;
        public void Observe(int obs, int action, double reward, int nextObs, bool terminated, bool truncated) { }
    }
}

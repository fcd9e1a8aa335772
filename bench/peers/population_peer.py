"""PyTorch peer of the population bench: N vectorised Bernoulli-bandit RL² agents stepping through the same GRU
and heads as MetaRL's population (input [obs, onehot(prev action), prev reward, prev done], GRUCell, policy and
value heads, softmax, a categorical draw), one batched forward per step, one thread, no autograd. Run it with OPENBLAS_NUM_THREADS=1 (the bench does):
torch.set_num_threads(1) does not reach the thread pool of Debian's OpenBLAS, which would run the GEMMs on every core.

Run by bench/MetaRL.Bench.Population with Debian's python3-torch (/usr/bin/python3); prints its figure as
`peer agent-steps/s: <median>` so the bench can put population / peer beside it.
"""
import argparse
import statistics
import time

import torch


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--agents", type=int, default=4096)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--arms", type=int, default=5)
    p.add_argument("--pulls", type=int, default=100, help="pulls a trial: memory and task are reset after it")
    p.add_argument("--rounds", type=int, default=5, help="timed windows; the median is printed")
    p.add_argument("--steps", type=int, default=100, help="steps per timed window")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    n, k = a.agents, a.arms
    inputs = 1 + k + 2
    gru = torch.nn.GRUCell(inputs, a.hidden)
    policy = torch.nn.Linear(a.hidden, k)
    value = torch.nn.Linear(a.hidden, 1)
    rows = torch.arange(n)

    means = torch.rand(n, k)
    h = torch.zeros(n, a.hidden)
    x = torch.zeros(n, inputs)
    x[:, 0] = 1  # the one observation
    x[:, -1] = 1  # "previous step ended an episode" at a trial's start
    t = 0

    def step() -> None:
        nonlocal h, means, t
        h = gru(x, h)
        probs = torch.softmax(policy(h), dim=-1)
        v = value(h).squeeze(1)
        action = torch.multinomial(probs, 1).squeeze(1)
        log_prob = torch.log(probs[rows, action].clamp_min(1e-30))
        reward = (torch.rand(n) < means[rows, action]).float()
        del v, log_prob  # computed, as the population's batcher computes them for its replies
        t += 1
        x.zero_()
        x[:, 0] = 1
        x[:, -1] = 1  # every pull ends its one-step episode
        if t % a.pulls == 0:  # a new trial: a new task, memory and "previous" fields reset
            means = torch.rand(n, k)
            h = torch.zeros(n, a.hidden)
            return
        x[rows, 1 + action] = 1
        x[:, 1 + k] = reward

    with torch.no_grad():
        for _ in range(20):
            step()
        rates = []
        for _ in range(a.rounds):
            start = time.perf_counter()
            for _ in range(a.steps):
                step()
            rates.append(a.steps * n / (time.perf_counter() - start))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, GRU-{a.hidden}, {n} agents")
    print(f"peer agent-steps/s: {statistics.median(rates):.0f}")


if __name__ == "__main__":
    main()

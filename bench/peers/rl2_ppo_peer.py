"""PyTorch peer of the "time to skill" bench: a CleanRL-style, single-file RL² trainer (PPO over whole trials) on
MetaRL's k-armed Bernoulli bandits, written to mirror MetaRL's own trainer so the bench compares two
implementations of one algorithm, not two algorithms.

What it mirrors (C# file → here):
  * Task law: src/Environments/Bandits/UniformBanditDistribution.cs, BernoulliBanditEnv.cs, BanditEnv.cs. Each
    task draws k arm means iid U(0, 1); a pull of arm a pays 1 with probability mean[a], else 0; every pull is a
    terminated one-step episode, a trial is --pulls of them. Held-out tasks are the same law on another seed stream.
  * RL² input: src/Environments/Wrappers/Rl2Input.cs with model.trialProgress on (ModelOptions.cs default),
    laid out [onehot(obs) (Discrete(1): always 1), onehot(prev action) (k), prev reward, prev done, k_ended / N].
    At a trial's start (Rl2Input.BeginTrial) prev action is one-hot ACTION 0 (not zeros), prev reward 0, prev
    done 1, progress 0; after pull s (0-based) the progress is (s + 1) / N, and prev done is always 1 (each
    pull ends its episode). Input size 1 + k + 3 = 9 at k = 5.
  * Model: src/Policies/Rl2/Rl2Model.cs (headHidden 0). A one-layer GRU (PyTorch's default U(±1/√H) init, as
    MetaRL.Torch's GRU), a linear policy head and a linear value head on the GRU output, initialised as
    InContextModel.InitializeHeads: policy weight orthogonal(gain 0.01), value weight orthogonal(gain 1), zero
    biases. Parameter names match ours (gru.weight_ih_l0, policy.weight, value.weight, ...). Memory = the GRU
    state, zero at every trial's start, carried across the trial's pulls.
  * Batch / GAE: src/Policies/Algorithms/PpoBatch.cs and Gae.cs. Rewards × --reward-scale, then GAE over the
    whole trial: the per-pull episode ends are neither terminal nor truncated (the return and the bootstrap run
    on across them); only the trial's last step is terminal (next value 0). Returns = advantages + old values.
  * Loss: src/Policies/Algorithms/PpoLoss.cs. Advantages normalised per minibatch to mean 0 and (population)
    std 1, (A - mean) / (std + 1e-8); clipped surrogate; UNCLIPPED value loss ½·mean((V - R)²) × valueCoef;
    entropy bonus; loss = L_π + c_V·L_V − c_H·H.
  * Update: src/Policies/Algorithms/PpoTrainer.cs. --epochs passes; each shuffles the trials and splits them into
    --minibatches contiguous slices [m·B/M, (m+1)·B/M); each minibatch recomputes the GRU from the trial's first
    step (full BPTT through all pulls), then Adam (β 0.9/0.999, eps 1e-8) after global grad-norm clipping. The
    learning rate is set once per update: Linear = lr·(1 − u/U) for update u = 0..U−1 (Learner.Progress =
    version / totalUpdates); Cosine likewise. An update whose loss or grad norm is not finite is abandoned and
    the parameters restored (Adam's moments kept), as ours does.
  * Defaults: config/bandits-k5-n100.json (gamma 0.9, lambda 0.3, clip 0.2, entropy 0.07, epochs 2,
    minibatches 4, lr 1.5e-3 Linear over 1000 updates, rewardScale 0.1, 256 trials an update) and, for what it
    leaves out, PpoOptions.cs (valueCoef 0.5, maxGradNorm 0.5, normalizeAdvantages true, entropyCoefEnd none,
    rewardSignal Sampled). --hidden defaults to 64 here (the config has 128, ModelOptions 256).
What is not mirrored exactly: random streams (ours shuffles minibatches with System.Random seeded per update,
draws tasks per agent from TaskSeeds.Mix streams, and samples actions in the inference batcher; here one
torch.Generator per purpose); our population steps 256 agents through actors and an inference batcher, this
steps 256 bandits in lockstep in one tensor program (the same data per update: 256 whole trials of the current
policy). Ours records rewards, values and log-probabilities in float32 and runs GAE in float32, as this does,
so the arithmetic agrees up to summation order.

GRU: the rollout steps torch.gru_cell (what nn.GRUCell calls). For PPO's whole-trial forward, --gru cell (default)
loops gru_cell over the pulls, --gru fused runs nn.GRU's fused sequence kernel on the same weights. On this
machine's CPU (torch 1.13, one thread, hidden 64, 64 trials × 100 pulls a minibatch, forward + backward) the loop
took 28-33 ms against 34-37 ms fused, as ours found for libtorch (Rl2Model.Forward), so it is the default; the two
agree to 1e-7.

Evaluation (the bench's protocol): at training time 0, every --eval-every-seconds of training time, and at the
end, the frozen current policy plays --eval-trials held-out tasks (the same tasks every time, drawn once from a
generator seeded --seed + 10007; pulls and actions from one seeded --seed + 20011 afresh at every evaluation),
sampling its actions (not greedy), without autograd, --eval-batch trials at a time. A trial's score is its total
reward over its pulls; the mean and standard error over trials are reported (random play scores 50 at k = 5,
n = 100; the Gittins policy about 78.5). The training clock is paused while evaluating; each evaluation's own cost
is reported apart. Training stops after --updates updates or --max-seconds of training time, whichever comes
first (checked between updates).

Output: a CSV at --out with the header `seconds,update,eval_mean,eval_stderr,eval_seconds` (a row an
evaluation; seconds = training seconds so far, update = updates done), a line an evaluation on stdout, and a
progress line every 50 updates.

Run with Debian's python3-torch, one thread (the script sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS before it
imports torch: torch.set_num_threads(1) does not reach the thread pool of Debian's OpenBLAS):
  /usr/bin/python3 bench/peers/rl2_ppo_peer.py --out peer.csv [--hidden 64 --max-seconds 600 ...]
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

try:
    import numpy as np  # noqa: E402
except ImportError:  # numpy is only seeded, never needed
    np = None


class Rl2Model(nn.Module):
    """Rl2Model.cs with headHidden 0: GRU → linear policy head, linear value head."""

    def __init__(self, inputs: int, actions: int, hidden: int):
        super().__init__()
        self.hidden = hidden
        self.gru = nn.GRU(inputs, hidden)
        self.policy = nn.Linear(hidden, actions)
        self.value = nn.Linear(hidden, 1)
        with torch.no_grad():  # InContextModel.InitializeHeads
            nn.init.orthogonal_(self.policy.weight, 0.01)
            nn.init.zeros_(self.policy.bias)
            nn.init.orthogonal_(self.value.weight, 1.0)
            nn.init.zeros_(self.value.bias)

    def step(self, x: torch.Tensor, h: torch.Tensor):
        """x [B, In], h [B, H] → logits [B, A], values [B], h' [B, H]."""
        g = self.gru
        h = torch.gru_cell(x, h, g.weight_ih_l0, g.weight_hh_l0, g.bias_ih_l0, g.bias_hh_l0)
        return self.policy(h), self.value(h).squeeze(-1), h

    def forward_trials(self, x: torch.Tensor, fused: bool):
        """Whole trials from a zero memory: x [T, B, In] → logits [T, B, A], values [T, B]."""
        if fused:
            out, _ = self.gru(x)
        else:
            g = self.gru
            h = x.new_zeros(x.shape[1], self.hidden)
            outs = []
            for t in range(x.shape[0]):
                h = torch.gru_cell(x[t], h, g.weight_ih_l0, g.weight_hh_l0, g.bias_ih_l0, g.bias_hh_l0)
                outs.append(h)
            out = torch.stack(outs, 0)
        return self.policy(out), self.value(out).squeeze(-1)


def play(model: Rl2Model, means: torch.Tensor, pulls: int, gen: torch.Generator, record: bool):
    """Plays one trial on each task of means [B, k] in lockstep, sampling actions; no autograd.
    Returns the trials' total rewards [B] and, when record, the rollout tensors (time-major)."""
    b, k = means.shape
    inputs = 1 + k + 3
    rows = torch.arange(b)
    x = torch.zeros(b, inputs)
    x[:, 0] = 1.0  # onehot(obs): Discrete(1), always 0
    x[:, 1] = 1.0  # Rl2Input.BeginTrial: prev action = onehot(0)
    x[:, 1 + k + 1] = 1.0  # prev done = 1
    h = torch.zeros(b, model.hidden)
    total = torch.zeros(b)
    if record:
        xs = torch.empty(pulls, b, inputs)
        acts = torch.empty(pulls, b, dtype=torch.long)
        logps = torch.empty(pulls, b)
        vals = torch.empty(pulls, b)
        rews = torch.empty(pulls, b)
        mean_rews = torch.empty(pulls, b)
    for s in range(pulls):
        logits, v, h = model.step(x, h)
        logp_all = torch.log_softmax(logits, -1)
        a = torch.multinomial(logp_all.exp(), 1, generator=gen).squeeze(1)
        mu = means[rows, a]
        r = (torch.rand(b, generator=gen) < mu).float()
        total += r
        if record:
            xs[s] = x
            acts[s] = a
            logps[s] = logp_all[rows, a]
            vals[s] = v
            rews[s] = r
            mean_rews[s] = mu
        x = torch.zeros(b, inputs)
        x[:, 0] = 1.0
        x[rows, 1 + a] = 1.0
        x[:, 1 + k] = r
        x[:, 1 + k + 1] = 1.0  # the pull ended its episode
        x[:, 1 + k + 2] = (s + 1) / pulls  # episodes ended / episodes per trial
    if not record:
        return total, None
    return total, (xs, acts, logps, vals, rews, mean_rews)


def gae(rewards: torch.Tensor, values: torch.Tensor, gamma: float, lam: float):
    """Gae.cs over whole trials [T, B]: only the last step is terminal; episode ends inside the trial bootstrap on."""
    steps = rewards.shape[0]
    adv = torch.zeros_like(rewards)
    nxt = torch.zeros(rewards.shape[1])
    for t in range(steps - 1, -1, -1):
        next_value = values[t + 1] if t + 1 < steps else torch.zeros_like(nxt)
        delta = rewards[t] + gamma * next_value - values[t]
        nxt = delta + gamma * lam * nxt
        adv[t] = nxt
    return adv, adv + values


def ppo_loss(logits, values, actions, old_logp, adv, ret, a):
    """PpoLoss.cs with every step real (the mask is all ones: every trial has exactly --pulls steps)."""
    logp = torch.log_softmax(logits, -1)
    logp_taken = logp.gather(-1, actions.unsqueeze(-1)).squeeze(-1)
    log_ratio = logp_taken - old_logp
    ratio = log_ratio.exp()
    if a.normalize_advantages:
        centred = adv - adv.mean()
        adv = centred / ((centred * centred).mean().sqrt() + 1e-8)
    unclipped = ratio * adv
    clipped = ratio.clamp(1 - a.clip, 1 + a.clip) * adv
    policy_loss = -torch.minimum(unclipped, clipped).mean()
    diff = values - ret
    value_loss = 0.5 * (diff * diff).mean()
    entropy = (-(logp.exp() * logp).sum(-1)).mean()
    return policy_loss, value_loss, entropy


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arms", type=int, default=5)
    p.add_argument("--pulls", type=int, default=100, help="pulls (one-step episodes) a trial")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--gru", choices=["cell", "fused"], default="cell",
                   help="PPO's whole-trial forward: a loop of gru_cell steps, or nn.GRU's fused kernel")
    p.add_argument("--trials-per-update", type=int, default=256)
    p.add_argument("--updates", type=int, default=1000)
    p.add_argument("--max-seconds", type=float, default=600.0, help="training seconds (evaluation excluded)")
    p.add_argument("--gamma", type=float, default=0.9)
    p.add_argument("--lambda", dest="lam", type=float, default=0.3)
    p.add_argument("--clip", type=float, default=0.2)
    p.add_argument("--value-coef", type=float, default=0.5)
    p.add_argument("--entropy-coef", type=float, default=0.07)
    p.add_argument("--entropy-coef-end", type=float, default=None,
                   help="when given, the entropy bonus moves linearly from --entropy-coef to this over --updates")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--minibatches", type=int, default=4)
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--lr-schedule", choices=["constant", "linear", "cosine"], default="linear")
    p.add_argument("--max-grad-norm", type=float, default=0.5)
    p.add_argument("--reward-scale", type=float, default=0.1)
    p.add_argument("--reward-signal", choices=["sampled", "mean"], default="sampled",
                   help="learn from the paid rewards, or from the pulled arms' means (PpoOptions.RewardSignal)")
    p.add_argument("--no-normalize-advantages", dest="normalize_advantages", action="store_false")
    p.add_argument("--eval-every-seconds", type=float, default=15.0)
    p.add_argument("--eval-trials", type=int, default=2000)
    p.add_argument("--eval-batch", type=int, default=2000, help="held-out trials played together")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default="rl2_ppo_peer.csv", help="CSV of the evaluations")
    a = p.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    if np is not None:
        np.random.seed(a.seed)
    k, n = a.arms, a.pulls
    model = Rl2Model(1 + k + 3, k, a.hidden)
    params = list(model.parameters())
    adam = torch.optim.Adam(params, lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    fused = a.gru == "fused"

    train_gen = torch.Generator().manual_seed(a.seed)  # training tasks, pulls and actions
    shuffle_gen = torch.Generator().manual_seed(a.seed + 1)
    eval_means = torch.rand(a.eval_trials, k, generator=torch.Generator().manual_seed(a.seed + 10007))

    def lr_at(progress: float) -> float:
        if a.lr_schedule == "linear":
            return a.lr * (1 - progress)
        if a.lr_schedule == "cosine":
            return a.lr * 0.5 * (1 + math.cos(math.pi * progress))
        return a.lr

    out = open(a.out, "w", buffering=1)
    out.write("seconds,update,eval_mean,eval_stderr,eval_seconds\n")
    print(f"rl2_ppo_peer: torch {torch.__version__}, {torch.get_num_threads()} thread, GRU-{a.hidden} ({a.gru}), "
          f"k={k}, n={n}, {a.trials_per_update} trials/update, {a.eval_trials} held-out trials", flush=True)

    def evaluate(seconds: float, update: int) -> None:
        start = time.perf_counter()
        gen = torch.Generator().manual_seed(a.seed + 20011)
        scores = []
        with torch.no_grad():
            for i in range(0, a.eval_trials, a.eval_batch):
                total, _ = play(model, eval_means[i:i + a.eval_batch], n, gen, record=False)
                scores.append(total)
        s = torch.cat(scores).double()
        mean = s.mean().item()
        stderr = (s.std(unbiased=True).item() / math.sqrt(len(s))) if len(s) > 1 else float("nan")
        cost = time.perf_counter() - start
        out.write(f"{seconds:.3f},{update},{mean:.4f},{stderr:.4f},{cost:.3f}\n")
        print(f"t={seconds:6.1f}s update {update:4d} held-out {mean:.2f} ± {stderr:.2f} (eval {cost:.1f} s)", flush=True)

    trained = 0.0  # training seconds, evaluation excluded
    evaluate(trained, 0)
    next_eval = a.eval_every_seconds
    update = 0
    b = a.trials_per_update
    minibatches = min(a.minibatches, b)
    while update < a.updates and trained < a.max_seconds:
        start = time.perf_counter()
        progress = min(max(update / max(1, a.updates), 0.0), 1.0)
        for g in adam.param_groups:
            g["lr"] = lr_at(progress)
        entropy_coef = a.entropy_coef if a.entropy_coef_end is None else \
            a.entropy_coef + (a.entropy_coef_end - a.entropy_coef) * progress

        with torch.no_grad():
            means = torch.rand(b, k, generator=train_gen)  # a new task for every trial
            score, (xs, acts, old_logp, vals, rews, mean_rews) = play(model, means, n, train_gen, record=True)
            learn_rews = (mean_rews if a.reward_signal == "mean" else rews) * a.reward_scale
            adv, ret = gae(learn_rews, vals, a.gamma, a.lam)
            before = [q.detach().clone() for q in params]

        pg = vl = ent = 0.0
        steps = 0
        abandoned = None
        for epoch in range(a.epochs):
            order = torch.randperm(b, generator=shuffle_gen)
            for m in range(minibatches):
                idx = order[m * b // minibatches:(m + 1) * b // minibatches]
                logits, values = model.forward_trials(xs[:, idx], fused)
                pl, vloss, e = ppo_loss(logits, values, acts[:, idx], old_logp[:, idx], adv[:, idx], ret[:, idx], a)
                loss = pl + a.value_coef * vloss - entropy_coef * e
                if not math.isfinite(loss.item()):
                    abandoned = f"loss is not finite at epoch {epoch}, minibatch {m}"
                    break
                adam.zero_grad()
                loss.backward()
                norm = nn.utils.clip_grad_norm_(params, a.max_grad_norm)
                if not math.isfinite(norm.item()):
                    abandoned = f"gradient norm is not finite at epoch {epoch}, minibatch {m}"
                    break
                adam.step()
                pg += pl.item()
                vl += vloss.item()
                ent += e.item()
                steps += 1
            if abandoned:
                break
        if abandoned:
            adam.zero_grad()
            with torch.no_grad():
                for q, old in zip(params, before):
                    q.copy_(old)
            print(f"update {update} abandoned: {abandoned}", flush=True)
        update += 1
        trained += time.perf_counter() - start

        if update % 50 == 0 and steps:
            print(f"  update {update:4d}  t={trained:6.1f}s ({trained / update:.3f} s/update)  train score "
                  f"{score.mean().item():.2f}  policy {pg / steps:+.4f}  value {vl / steps:.4f}  entropy {ent / steps:.3f}",
                  flush=True)
        if trained >= next_eval and update < a.updates and trained < a.max_seconds:
            evaluate(trained, update)
            while next_eval <= trained:  # on the grid of multiples of --eval-every-seconds
                next_eval += a.eval_every_seconds
    evaluate(trained, update)
    print(f"done: {update} updates in {trained:.1f} training seconds ({trained / max(1, update):.3f} s/update)", flush=True)
    out.close()


if __name__ == "__main__":
    main()

"""PyTorch's side of the checkpoint interop test (InteropTests.cs runs it with Debian's python3-torch).

  interop.py check DIR   load what C# saved in DIR, rebuild the model in PyTorch, compare outputs and
                         the optimizer's next step with C#'s; exit 1 naming whatever differs.
  interop.py make DIR    train the same model a little in PyTorch and save model, inputs, outputs and the
                         optimizer's state for C# to load and check.

The model must match InteropTests.Net: Linear(5, 8) -> tanh -> GRU(8, 16) -> Linear(16, 3).
"""
import sys

import torch
from torch import nn

TOLERANCE = 1e-5


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(5, 8)
        self.gru = nn.GRU(8, 16)
        self.head = nn.Linear(16, 3)

    def forward(self, x, h0):
        out, h_n = self.gru(torch.tanh(self.encoder(x)), h0)
        return self.head(out), h_n


def loss_of(net, x, h0):
    y, h_n = net(x, h0)
    return y.pow(2).mean() + h_n.sum()


def max_diff(a, b):
    if a.shape != b.shape:
        raise SystemExit(f"shape mismatch: {tuple(a.shape)} vs {tuple(b.shape)}")
    return (a.double() - b.double()).abs().max().item()


def load_weights_only(path):
    # weights_only: our files must use nothing beyond what PyTorch's restricted unpickler allows.
    return torch.load(path, weights_only=True)


def check(directory):
    failures = []

    def expect(what, diff):
        print(f"{what}: max |diff| = {diff:.3g}")
        if not diff <= TOLERANCE:
            failures.append(f"{what} differs by {diff:.3g} (tolerance {TOLERANCE})")

    net = Net()
    net.load_state_dict(load_weights_only(f"{directory}/cs_model.pt"))  # strict: names and shapes must match
    io = load_weights_only(f"{directory}/cs_io.pt")
    with torch.no_grad():
        y, h_n = net(io["x"], io["h0"])
    expect("outputs", max_diff(y, io["y"]))
    expect("final hidden state", max_diff(h_n, io["h_n"]))

    # Plain load: torch 1.13's weights-only unpickler has no BINFLOAT, so no optimizer state (Python's own
    # included) passes it there.
    saved = torch.load(f"{directory}/cs_optim_before.pt")
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    optimizer.load_state_dict(saved["optimizer"])
    for p, g in zip(net.parameters(), saved["grads"]):
        p.grad = g.clone()
    optimizer.step()
    for (name, p), after in zip(net.named_parameters(), load_weights_only(f"{directory}/cs_optim_after.pt")):
        expect(f"Adam step from C#'s state, {name}", max_diff(p.detach(), after))

    if failures:
        raise SystemExit("\n".join(failures))
    print("python agrees with C#")


def make(directory):
    torch.manual_seed(7)
    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    train_x, train_h0 = torch.randn(6, 4, 5), torch.randn(1, 4, 16)
    for _ in range(3):
        optimizer.zero_grad()
        loss_of(net, train_x, train_h0).backward()
        optimizer.step()

    torch.save(net.state_dict(), f"{directory}/py_model.pt")

    x, h0 = torch.randn(7, 3, 5), torch.randn(1, 3, 16)
    with torch.no_grad():
        y, h_n = net(x, h0)
    base = torch.arange(24, dtype=torch.float64).reshape(4, 6)
    torch.save({
        "x": x, "h0": h0, "y": y, "h_n": h_n,
        # Views that share one storage, one of them strided: the reader must honour offsets and strides.
        "base": base, "column": base[:, 2], "transposed": base.t(),
        "meta": {"steps": 3, "name": "py", "ratio": 0.5, "flags": (True, None), "big": 2**40, "ids": [1, -2, 300, 70000]},
        "long": torch.tensor([1, -2, 3]), "mask": torch.tensor([True, False, True]),
        # A Parameter (_rebuild_parameter) and a leaf that requires grad come back requiring grad.
        "parameter": nn.Parameter(torch.full((2,), 1.5)), "leaf": torch.zeros(3, requires_grad=True),
    }, f"{directory}/py_io.pt")

    optimizer.zero_grad()
    loss_of(net, train_x, train_h0).backward()
    state = optimizer.state_dict()
    torch.save({
        "optimizer": state,
        "grads": [p.grad.clone() for p in net.parameters()],
    }, f"{directory}/py_optim_before.pt")
    optimizer.step()
    torch.save([p.detach().clone() for p in net.parameters()], f"{directory}/py_optim_after.pt")
    print("saved")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("check", "make"):
        raise SystemExit(__doc__)
    {"check": check, "make": make}[sys.argv[1]](sys.argv[2])

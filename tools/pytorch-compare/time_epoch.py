"""Times notebook 000's recipe in PyTorch at its best on these machines, for `pnpm bench`: an MLP
(ReLU between layers), softmax cross-entropy averaged over the batch, plain SGD, batches in file
order, on the split written by packages/cli/scripts/export-split.ts, validated after every epoch
as the notebook does. Only each epoch's training is timed (not the validation). Prints one JSON
object. Needs Debian's python3-torch (run with /usr/bin/python3).

    /usr/bin/python3 tools/pytorch-compare/time_epoch.py SPLIT_DIR [--hidden 256] [--batch 256]
        [--lr 1.0] [--epochs 2] [--init RUN_DIR/init.safetensors] [--seed 0] [--first-layer-gflops]

Without --init, weights and biases are drawn from N(0, 1) with torch's generator at --seed.
"""
import os

# Best setting here (see /work/shared/ANCHORS.md): OpenBLAS reads these when torch loads it, so
# they are fixed before the import. OPENBLAS_CORETYPE=Haswell, set in these machines' environment,
# halves sgemm speed on their Zen 5 cores; 2 BLAS threads with torch's own pool at 1 thread.
os.environ.pop("OPENBLAS_CORETYPE", None)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import argparse, json, resource, statistics, struct, time
import numpy as np
import torch
import torch.nn.functional as F


def widths(text):
    return [int(w) for w in text.split(",") if w.strip()]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split_dir", help="directory written by export-split.ts (train-x.u8, train-y.u8, valid-x.u8, valid-y.u8)")
    parser.add_argument("--hidden", type=widths, default=[256], help="hidden widths, comma-separated; empty for a linear model (default 256)")
    parser.add_argument("--batch", type=int, default=256, help="examples per step (default 256)")
    parser.add_argument("--lr", type=float, default=1.0, help="SGD learning rate (default 1.0)")
    parser.add_argument("--epochs", type=int, default=2, help="epochs to train and time (default 2)")
    parser.add_argument("--init", help="initial parameters (a crossprop run's init.safetensors) instead of N(0, 1)")
    parser.add_argument("--seed", type=int, default=0, help="torch seed for the N(0, 1) init (default 0)")
    parser.add_argument("--first-layer-gflops", action="store_true",
                        help="also time the first layer's product (a batch × 784 · its 784 × outputs weight) in the BLAS after training: first_layer_gflops")
    return parser.parse_args()


def load_safetensors(path):
    """Every F32 tensor of a safetensors file, by name (train.py reads init.safetensors the same way)."""
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"error: {path}: {name} is {info['dtype']}; this timing is float32 only")
        begin, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=np.float32).reshape(info["shape"]).copy())
    return tensors


def load_split(split_dir, name):
    # Straight to float32 (no float64 copy, which would double the peak RSS); x / 255 rounds the same either way.
    x = torch.from_numpy(np.fromfile(f"{split_dir}/{name}-x.u8", np.uint8)).reshape(-1, 784).to(torch.float32).div_(255)
    y = torch.from_numpy(np.fromfile(f"{split_dir}/{name}-y.u8", np.uint8).astype(np.int64))
    if len(x) != len(y):
        raise SystemExit(f"error: {split_dir}: {len(x)} {name} images but {len(y)} labels")
    return x, y


def blas_library():
    """The BLAS this process loaded: Debian's reference libblas is ~60x slower than OpenBLAS."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libblas" in line or "libopenblas" in line}
    return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "unknown"


def initial_params(args, sizes):
    """[(weight [in, out], bias [out])] per layer: crossprop's layout, outputs = inputs @ weight + bias."""
    if args.init:
        tensors = load_safetensors(args.init)
        params = [(tensors[f"layers.{i}.weight"], tensors[f"layers.{i}.bias"]) for i in range(len(sizes) - 1)]
        got = [tuple(w.shape) for w, _ in params]
        if got != list(zip(sizes[:-1], sizes[1:])):
            raise SystemExit(f"error: {args.init} holds weights {got}, not {list(zip(sizes[:-1], sizes[1:]))}")
        return params
    generator = torch.Generator().manual_seed(args.seed)
    return [(torch.randn(n_in, n_out, generator=generator), torch.randn(n_out, generator=generator)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def forward(params, x):
    for i, (weight, bias) in enumerate(params):
        x = torch.addmm(bias, x, weight)  # bias + x @ weight in one BLAS call
        if i < len(params) - 1:
            x = x.relu()
    return x


def first_layer_gflops(x, weight, seconds=0.25):
    """GFLOP/s of x @ weight in this process's BLAS, repeated for `seconds` after 20 warm-up calls."""
    with torch.no_grad():
        for _ in range(20):
            x @ weight
        calls, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            x @ weight
            calls += 1
        elapsed = time.perf_counter() - began
    return 2 * x.shape[0] * x.shape[1] * weight.shape[1] * calls / elapsed / 1e9


def validate(params, x, y, batch):
    """Accuracy on (x, y), predicted `batch` rows at a time."""
    with torch.no_grad():
        right = sum((forward(params, x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item() for i in range(0, len(y), batch))
    return right / len(y)


def main():
    args = parse_args()
    torch.set_num_threads(1)
    train_x, train_y = load_split(args.split_dir, "train")
    valid_x, valid_y = load_split(args.split_dir, "valid")
    classes = int(max(train_y.max(), valid_y.max())) + 1
    params = initial_params(args, [train_x.shape[1], *args.hidden, classes])
    flat = [p.requires_grad_() for layer in params for p in layer]
    starts = range(0, len(train_y), args.batch)  # the last batch may be short, as in crossprop

    seconds = []
    for _ in range(args.epochs):
        began = time.perf_counter()
        for start in starts:
            loss = F.cross_entropy(forward(params, train_x[start:start + args.batch]), train_y[start:start + args.batch])
            loss.backward()
            with torch.no_grad():
                for p in flat:
                    p.sub_(p.grad, alpha=args.lr)  # p ← p − lr · dL/dp
                    p.grad = None
        seconds.append(time.perf_counter() - began)
        # Validated after every epoch, untimed, as the notebook and a crossprop run do (in batches).
        valid_accuracy = validate(params, valid_x, valid_y, args.batch)
    median = statistics.median(seconds)
    extra = {"first_layer_gflops": round(first_layer_gflops(train_x[:args.batch], params[0][0].detach()))} if args.first_layer_gflops else {}
    print(json.dumps({
        "engine": f"torch {torch.__version__}",
        "seconds_per_epoch": median,
        "epoch_seconds": seconds,
        "samples_per_second": len(train_y) / median,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),  # ru_maxrss is in KiB on Linux
        "valid_accuracy": valid_accuracy,
        "final_loss": loss.item(),
        "torch_threads": torch.get_num_threads(),
        "openblas_threads": os.environ["OPENBLAS_NUM_THREADS"],
        "blas": blas_library(),
        **extra,
    }))


if __name__ == "__main__":
    main()

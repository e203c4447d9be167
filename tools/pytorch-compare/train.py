"""Notebook 000's training loop in PyTorch, started from a crossprop run's init.safetensors and fed
the split written by packages/cli/scripts/export-split.ts in file order: an outside check that crossprop's backends do what
PyTorch does. Needs Debian's python3-torch (run with /usr/bin/python3); crossprop itself does not.

    /usr/bin/python3 tools/pytorch-compare/train.py RUN_DIR SPLIT_DIR [epochs=20] [lr=1.0] [batch=256]
"""
import json, struct, sys
import numpy as np
import torch

torch.set_num_threads(1)
run_dir, split_dir = sys.argv[1], sys.argv[2]
epochs, lr, batch = int(sys.argv[3]) if len(sys.argv) > 3 else 20, float(sys.argv[4]) if len(sys.argv) > 4 else 1.0, int(sys.argv[5]) if len(sys.argv) > 5 else 256

def load_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=np.float32).reshape(info["shape"]).copy())
    return tensors

def load(name):
    x = np.fromfile(f"{split_dir}/{name}-x.u8", np.uint8).reshape(-1, 784)
    y = np.fromfile(f"{split_dir}/{name}-y.u8", np.uint8).astype("int64")
    return torch.from_numpy((x / 255).astype("float32")), torch.from_numpy(y)

params = load_safetensors(f"{run_dir}/init.safetensors")
layers = len(params) // 2
for p in params.values():
    p.requires_grad_()
train_x, train_y = load("train")
valid_x, valid_y = load("valid")

def model(x):
    for i in range(layers):  # crossprop's layout: outputs = inputs @ weight + bias, weight [in, out]
        x = x @ params[f"layers.{i}.weight"] + params[f"layers.{i}.bias"]
        if i < layers - 1:
            x = x.clamp_min(0)
    return x

for epoch in range(epochs):
    for start in range(0, len(train_y), batch):
        logits = model(train_x[start:start + batch])
        m = logits.max(-1)[0]
        log_probs = logits - (m + (logits - m[:, None]).exp().sum(-1).log()).unsqueeze(1)
        loss = -log_probs[range(len(logits)), train_y[start:start + batch]].mean()
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
                p.grad.zero_()
    with torch.no_grad():
        accuracy = (model(valid_x).argmax(1) == valid_y).float().mean().item()
    print(f"epoch {epoch + 1}: valid_accuracy {accuracy:.4f}")

"""The tutorial's model trained in PyTorch, for `npm run bench` to compare against.

Same data (the four IDX files in the folder given), same model ([conv blocks: Conv2d(F, K×K, padding
'same') + ReLU + MaxPool2d(2) each ->] Flatten -> Linear(784, H1) + ReLU [-> Dropout] ... -> Linear(Hn, 10);
the tutorial's is one hidden layer of 128), Keras's initialisation (Glorot-uniform weights, zero biases), Adam(lr, 0.9, 0.999,
eps 1e-7), mean cross-entropy from the logits, batch size and epochs as asked, images kept as uint8
and scaled per batch. Prints one JSON line: seconds (wall and CPU) per epoch, test accuracy after each epoch, the
torch version, its thread count (set to 1) and the BLAS library that actually ran (threadpoolctl,
where installed, else the libraries mapped into the process).

Usage: python3 scripts/bench_torch.py DATA_DIR EPOCHS BATCH_SIZE [SEED [HIDDEN [DROPOUT [CONV]]]]
  HIDDEN: the hidden widths, comma-separated (default 128); DROPOUT: the rate after each (default 0);
  CONV: conv blocks as FILTERS:KERNEL, comma-separated (default none), as `npm run train -- --conv` takes them.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(folder, name, header):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.exists(path):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(path, "rb") as f:
                return np.frombuffer(f.read(), dtype=np.uint8, offset=header)
    raise FileNotFoundError(os.path.join(folder, name))


def blas_in_use():
    """The BLAS libraries loaded in this process: threadpoolctl's view, or the mapped files."""
    try:
        from threadpoolctl import threadpool_info
        return [
            {"api": info.get("internal_api"), "file": info.get("filepath"), "version": info.get("version"),
             "architecture": info.get("architecture"), "threads": info.get("num_threads")}
            for info in threadpool_info() if info.get("user_api") == "blas"
        ]
    except ImportError:
        with open("/proc/self/maps") as maps:
            files = sorted({line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1]})
        return [{"api": None, "file": f, "version": None, "architecture": None, "threads": None} for f in files]


def main():
    folder, epochs, batch_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    hidden = [int(w) for w in sys.argv[5].split(",")] if len(sys.argv) > 5 else [128]
    dropout = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
    conv = [tuple(int(n) for n in block.split(":")) for block in sys.argv[7].split(",")] if len(sys.argv) > 7 and sys.argv[7] else []
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    train_x = torch.from_numpy(read_idx(folder, "train-images-idx3-ubyte", 16).reshape(-1, 784).copy())
    train_y = torch.from_numpy(read_idx(folder, "train-labels-idx1-ubyte", 8).astype(np.int64))
    test_x = torch.from_numpy(read_idx(folder, "t10k-images-idx3-ubyte", 16).reshape(-1, 784).copy())
    test_y = torch.from_numpy(read_idx(folder, "t10k-labels-idx1-ubyte", 8).astype(np.int64))

    layers, channels, side = [], 1, 28
    for filters, kernel in conv:
        layers += [nn.Conv2d(channels, filters, kernel, padding="same"), nn.ReLU(), nn.MaxPool2d(2)]
        channels, side = filters, side // 2
    if conv:
        # The images arrive as rows of 784: the conv blocks take them as 1 x 28 x 28.
        layers = [nn.Unflatten(1, (1, 28, 28))] + layers + [nn.Flatten()]
    width = channels * side * side if conv else 784
    for units in hidden:
        layers += [nn.Linear(width, units), nn.ReLU()] + ([nn.Dropout(dropout)] if dropout > 0 else [])
        width = units
    model = nn.Sequential(*layers, nn.Linear(width, 10))
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    seconds, cpu_seconds, accuracies = [], [], []
    count = train_x.shape[0]
    for _ in range(epochs):
        started = time.perf_counter()
        cpu_started = time.process_time()
        order = torch.randperm(count)
        model.train()
        for start in range(0, count, batch_size):
            index = order[start:start + batch_size]
            x = train_x[index].float().div_(255.0)
            loss = loss_fn(model(x), train_y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            logits = model(test_x.float().div_(255.0))
            accuracies.append(float((logits.argmax(1) == test_y).float().mean()))
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)

    print(json.dumps({
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "testAccuracy": accuracies,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_in_use(),
    }))


if __name__ == "__main__":
    main()

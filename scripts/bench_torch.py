"""The tutorial's model trained in PyTorch, for `npm run bench` to compare against.

Same data (the four IDX files in the folder given), same model (Flatten -> Linear(784, 128) + ReLU ->
Linear(128, 10)), Keras's initialisation (Glorot-uniform weights, zero biases), Adam(lr, 0.9, 0.999,
eps 1e-7), mean cross-entropy from the logits, batch size and epochs as asked, images kept as uint8
and scaled per batch. Prints one JSON line: seconds (wall and CPU) per epoch, test accuracy after each epoch, the
torch version and its thread count.

Usage: python3 scripts/bench_torch.py DATA_DIR EPOCHS BATCH_SIZE [SEED]
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


def main():
    folder, epochs, batch_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    torch.manual_seed(seed)
    train_x = torch.from_numpy(read_idx(folder, "train-images-idx3-ubyte", 16).reshape(-1, 784).copy())
    train_y = torch.from_numpy(read_idx(folder, "train-labels-idx1-ubyte", 8).astype(np.int64))
    test_x = torch.from_numpy(read_idx(folder, "t10k-images-idx3-ubyte", 16).reshape(-1, 784).copy())
    test_y = torch.from_numpy(read_idx(folder, "t10k-labels-idx1-ubyte", 8).astype(np.int64))

    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    for layer in (model[0], model[2]):
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
    }))


if __name__ == "__main__":
    main()

"""The benchmark's CPython peer: the posts' two CPU workloads in plain
Python, sync and on a multiprocessing.Pool, as the posts ran them (written
after their descriptions; their exact scripts are not vendored here).

    python3 python_peers.py sieve|squares sync|pool PROCESSES REPEAT

prints one JSON line: every run's seconds and the checksum. The pool is
started before the clock, as the playground's workers are; the clock
covers Pool.map with its default chunksize. Stops at timing; bench.mjs
runs it and report.mjs compares.
"""
import json
import sys
import time
from multiprocessing import Pool


def count_primes_up_to(n):
    """The sieve of Eratosthenes over a list of bools: primes <= n."""
    if n < 2:
        return 0
    is_prime = [True] * (n + 1)
    is_prime[0] = is_prime[1] = False
    p = 2
    while p * p <= n:
        if is_prime[p]:
            for multiple in range(p * p, n + 1, p):
                is_prime[multiple] = False
        p += 1
    return sum(is_prime)


def sum_of_squares(m):
    return sum(i * i for i in range(m))


WORKLOADS = {
    "sieve": (count_primes_up_to, range(1000, 16000)),
    "squares": (sum_of_squares, [5_000_000 + x for x in range(20)]),
}


def main():
    workload, mode, processes, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    task, inputs = WORKLOADS[workload]
    runs, checksum = [], None
    pool = Pool(processes) if mode == "pool" else None
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            results = pool.map(task, inputs) if pool else [task(x) for x in inputs]
            runs.append(time.perf_counter() - started)
            checksum = sum(results)
    finally:
        if pool:
            pool.close()
            pool.join()
    print(json.dumps({"workload": workload, "mode": mode, "processes": processes if pool else 1,
                      "runs_s": runs, "checksum": str(checksum), "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference BSS Eval figures from mir_eval, for Timbre's separation differential test.

Writes cases.jsonl.gz next to this file: one JSON object per line, {"family", "name", "input", "expected"}.
The signals are not stored: each case stores a recipe (a xorshift32 seed and a few parameters) that
BssEvalDifferentialTest rebuilds sample for sample in Java, with the same integer generator and the same
float64 operations in the same order. BssEvalDifferentialTest compares SDR, SIR and SAR at |delta| <= 1e-3 dB;
MetricsReferenceFreshnessTest runs this script with --check, which recomputes every case and fails when a
committed figure moved by more than 1e-6 dB (the last bits of LAPACK's solve differ between BLAS builds).

    /usr/bin/python3 pipeline/src/test/resources/reference/separation/generate.py          # regenerate
    /usr/bin/python3 pipeline/src/test/resources/reference/separation/generate.py --check  # compare, exit 1 on drift

Reference definition: mir_eval.separation.bss_eval_sources(reference, estimated, compute_permutation=False)
(mir_eval 0.7, 512-tap distortion filters). Tracks mir_eval refuses (a reference or estimate that sums to 0)
are cases too: expected is {"error": ...} and Timbre must report them as degenerate, not fail.

Recipe, per source k of n samples (t = 0 .. n-1), all float64:
  u()      = next xorshift32 state / 2**32          (state ^= state << 13; ^= state >> 17; ^= state << 5; 32 bits)
  noise()  = u() + u() + u() + u() - 2.0
  y[t]     = noise() + ar_k * y[t-1]                 (y[-1] = 0)
  ref_k[t] = gain_k * (y[t] + amp_k * sin(2*pi*freq_k*t/8000 + phase_k))
Estimate j, after every reference is built, from the same generator:
  est_j[t] = sum_k mix[j][k] * ref_k[t]  (k ascending)  + sum_m taps_j[m] * ref_j[t-m]  (m ascending, t-m >= 0)
             + artefact_j * noise()
"""
import argparse
import gzip
import io
import json
import math
import sys
import warnings
from pathlib import Path

import mir_eval
import numpy as np

SEED = 20261206
OUT = Path(__file__).with_name("cases.jsonl.gz")
TOLERANCE_DB = 1e-6


class XorShift32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF or 1

    def u(self):
        s = self.state
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.state = s
        return s / 4294967296.0

    def noise(self):
        return self.u() + self.u() + self.u() + self.u() - 2.0


def build(recipe):
    rng = XorShift32(recipe["seed"])
    n = recipe["samples"]
    refs = []
    for src in recipe["sources"]:
        y = 0.0
        row = [0.0] * n
        for t in range(n):
            y = rng.noise() + src["ar"] * y
            row[t] = src["gain"] * (y + src["amp"] * math.sin(2 * math.pi * src["freq"] * t / 8000 + src["phase"]))
        refs.append(row)
    ests = []
    for j, e in enumerate(recipe["estimates"]):
        row = [0.0] * n
        for t in range(n):
            v = 0.0
            for k, m in enumerate(e["mix"]):
                v += m * refs[k][t]
            for m, tap in enumerate(e["taps"]):
                if t - m >= 0:
                    v += tap * refs[j][t - m]
            v += e["artefact"] * rng.noise()
            row[t] = v
        ests.append(row)
    return np.array(refs), np.array(ests)


def num(x):
    x = float(x)
    return x if math.isfinite(x) else ("Infinity" if x > 0 else "-Infinity" if x < 0 else "NaN")


def expected(recipe):
    ref, est = build(recipe)
    try:
        sdr, sir, sar, _ = mir_eval.separation.bss_eval_sources(ref, est, compute_permutation=False)
    except ValueError as e:
        return {"error": str(e).split(".")[0]}
    return {"sdr": [num(v) for v in sdr], "sir": [num(v) for v in sir], "sar": [num(v) for v in sar]}


def r(x, digits=6):
    return round(float(x), digits)


def random_recipe(rng, i):
    nsrc = int(rng.choice([1, 2, 2, 3, 3, 3, 4]))
    samples = int(rng.integers(1200 * nsrc, 1200 * nsrc + 3000))
    sources = [{"gain": r(rng.uniform(0.2, 2.0)), "ar": r(rng.uniform(-0.6, 0.95)), "amp": r(rng.uniform(0, 3)),
                "freq": r(rng.uniform(50, 3500), 3), "phase": r(rng.uniform(0, 2 * math.pi))} for _ in range(nsrc)]
    estimates = []
    for j in range(nsrc):
        mix = [r(1.0 if k == j else rng.uniform(-0.4, 0.4) * (rng.random() < 0.7)) for k in range(nsrc)]
        taps = [r(v) for v in rng.uniform(-0.3, 0.3, int(rng.integers(0, 4)))]
        estimates.append({"mix": mix, "taps": taps, "artefact": r(rng.uniform(0.02, 0.8))})
    return {"seed": int(rng.integers(1, 2**32)), "samples": samples, "sources": sources, "estimates": estimates}


def cases():
    rng = np.random.default_rng(SEED)
    out = []
    for i in range(50):
        out.append(("random-%02d" % i, random_recipe(rng, i)))
    # Near-silent references and estimates: gains of 1e-3 .. 1e-6 beside full-scale sources.
    for i, gain in enumerate([1e-3, 1e-4, 1e-5, 1e-6, 1e-4, 1e-3]):
        rec = random_recipe(rng, 100 + i)
        while len(rec["sources"]) < 2:
            rec = random_recipe(rng, 100 + i)
        rec["sources"][i % len(rec["sources"])]["gain"] = gain
        out.append(("near-silent-%d" % i, rec))
    for i in range(2):
        rec = random_recipe(rng, 200 + i)
        while len(rec["sources"]) < 2:
            rec = random_recipe(rng, 200 + i)
        rec["estimates"][-1]["artefact"] = r(rng.uniform(0.05, 0.3))
        rec["estimates"][-1]["taps"] = []
        rec["estimates"][-1]["mix"] = [0.0] * len(rec["sources"])
        rec["estimates"][-1]["mix"][0] = 1.0 if i else 0.0
        out.append(("estimate-is-another-source-%d" % i, rec))
    # Exactly silent sources: mir_eval refuses the track; Timbre reports it as degenerate.
    for i, which in enumerate(["reference", "estimate"]):
        rec = random_recipe(rng, 300 + i)
        while len(rec["sources"]) < 2:
            rec = random_recipe(rng, 300 + i)
        if which == "reference":
            rec["sources"][1]["gain"] = 0.0
        else:
            rec["estimates"][1] = {"mix": [0.0] * len(rec["sources"]), "taps": [], "artefact": 0.0}
        out.append(("silent-%s" % which, rec))
    return [{"family": "bss_eval_sources", "name": name, "input": rec, "expected": expected(rec)}
            for name, rec in out]


def generate():
    all_cases = cases()
    header = {"family": "header", "name": "versions",
              "input": {"mir_eval": mir_eval.__version__, "numpy": np.__version__, "seed": SEED},
              "expected": {"cases": len(all_cases)}}
    return [header] + all_cases


def differs(committed, generated):
    """The first difference beyond TOLERANCE_DB between two case lists, or None."""
    if len(committed) != len(generated):
        return f"{len(committed)} committed lines, {len(generated)} generated"
    for a, b in zip(committed, generated):
        if a["name"] != b["name"] or a["input"] != b["input"]:
            return f"case {a['name']}: inputs differ"
        ea, eb = a["expected"], b["expected"]
        if set(ea) != set(eb):
            return f"case {a['name']}: committed {ea}, generated {eb}"
        for key in ea:
            if key == "error" or key == "cases":
                if ea[key] != eb[key]:
                    return f"case {a['name']}: committed {ea[key]}, generated {eb[key]}"
                continue
            for x, y in zip(ea[key], eb[key]):
                if isinstance(x, str) or isinstance(y, str):
                    if x != y:
                        return f"case {a['name']} {key}: committed {x}, generated {y}"
                elif abs(x - y) > TOLERANCE_DB:
                    return f"case {a['name']} {key}: committed {x}, generated {y}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file; exit 1 on drift")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    generated = generate()
    if args.check:
        with gzip.open(args.out, "rt", encoding="utf-8") as f:
            committed = [json.loads(line) for line in f if line.strip()]
        # The header records the versions used; only the cases are compared.
        problem = differs(committed[1:], generated[1:])
        if problem is None:
            print(f"{args.out}: up to date ({len(generated) - 1} cases, |delta| <= {TOLERANCE_DB} dB)")
            return 0
        print(f"{args.out}: {problem}")
        return 1
    text = io.StringIO()
    for case in generated:
        text.write(json.dumps(case, separators=(",", ":"), allow_nan=False))
        text.write("\n")
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write(text.getvalue().encode("utf-8"))
    print(f"wrote {args.out}: {len(generated) - 1} cases, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Reference values of Timbre's metrics from mir_eval and scikit-learn, for the differential suite.

Writes cases.jsonl.gz next to this file: one JSON object per line, {"family", "name", "input", "expected"}, seeded
and byte-for-byte reproducible with the same library versions. MetricsDifferentialTest reads it and compares every
figure Timbre computes at <= 1e-9; MetricsReferenceFreshnessTest runs this script with --check and fails when the
committed file is no longer what the libraries give.

    /usr/bin/python3 pipeline/src/test/resources/reference/metrics/generate.py          # regenerate
    /usr/bin/python3 pipeline/src/test/resources/reference/metrics/generate.py --check  # compare, exit 1 on drift

Needs Debian's python3-mir-eval (0.7) and python3-sklearn (1.2.1); the header line records the versions used.

Families and the reference definition each follows:
  melody        mir_eval.melody.evaluate(ref_time, ref_freq, est_time, est_freq, hop=0.01)
  onset         mir_eval.onset.f_measure(reference, estimated, window=0.05)
  single_label  decisions: top-1 of top_k_accuracy_score's ranking on the float64 mean of float32 segment scores;
                accuracy_score, precision_recall_fscore_support / f1_score(labels=range(K), zero_division=0),
                f1_score(average='macro') with default labels, top_k_accuracy_score(labels=range(K))
  multi_label   S1 = mean >= theta, S2 = sum / max(sum) >= theta (float64); f1_score micro/macro (zero_division=0),
                label_ranking_average_precision_score(truth, mean), roc_auc_score per class (null where undefined)
"""
import argparse
import gzip
import io
import json
import sys
import warnings
from pathlib import Path

import mir_eval
import numpy as np
import sklearn
from sklearn import metrics as skm

SEED = 20261204
OUT = Path(__file__).with_name("cases.jsonl.gz")
HOP_GRIDS = {"10ms": 0.01, "5.8ms": 256 / 44100, "2.9ms": 128 / 44100, "20ms": 0.02}
FRAME_RATES = [22050 / 512, 22050 / 256, 100.0, 22050 / 128, 1000.0]


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]


def f32(a):
    """float32 values written as the float64 numbers they are, so Java reads them back exactly as floats."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


# ---------------------------------------------------------------------------------------------------------- melody

def melody_expected(rt, rf, et, ef):
    s = mir_eval.melody.evaluate(np.asarray(rt, float), np.asarray(rf, float), np.asarray(et, float),
                                 np.asarray(ef, float), hop=0.01)
    return {"voicing_recall": float(s["Voicing Recall"]), "voicing_false_alarm": float(s["Voicing False Alarm"]),
            "raw_pitch_accuracy": float(s["Raw Pitch Accuracy"]),
            "raw_chroma_accuracy": float(s["Raw Chroma Accuracy"]), "overall_accuracy": float(s["Overall Accuracy"])}


def melody_case(name, rt, rf, et, ef):
    return {"family": "melody", "name": name,
            "input": {"ref_time": floats(rt), "ref_freq": floats(rf), "est_time": floats(et), "est_freq": floats(ef)},
            "expected": melody_expected(rt, rf, et, ef)}


def times_on(rng, grid, n, start):
    if grid == "irregular":
        steps = rng.uniform(0.003, 0.015, n)
        steps[0] = 0
        return np.round(start + np.cumsum(steps), 6)
    hop = HOP_GRIDS[grid]
    return start + np.arange(n) * hop


def contour(rng, t):
    """A sung-like f0 contour in Hz at times t: a random walk in cents, with unvoiced runs."""
    cents = 6000 + np.cumsum(rng.normal(0, 8, len(t))) + rng.uniform(-1500, 1500)
    hz = 10 * 2 ** (cents / 1200)
    voiced = np.ones(len(t), bool)
    i = 0
    while i < len(t):
        run = int(rng.integers(1, 40))
        if rng.random() < 0.3:
            voiced[i:i + run] = False
        i += run
    return np.round(np.where(voiced, hz, 0.0), 3)


def melody_random(rng, index):
    ref_grid = rng.choice(["10ms", "5.8ms", "2.9ms", "irregular"], p=[0.4, 0.3, 0.1, 0.2])
    est_grid = ref_grid if rng.random() < 0.4 else rng.choice(["10ms", "5.8ms", "20ms", "irregular"])
    n = int(np.exp(rng.uniform(np.log(3), np.log(200))))
    ref_start = 0.0 if rng.random() < 0.7 else round(float(rng.uniform(0.001, 0.05)), 4)
    rt = times_on(rng, ref_grid, n, ref_start)
    rf = contour(rng, rt)
    if rng.random() < 0.05:
        rf[:] = 0  # no voiced reference frame
    duration = rt[-1] * rng.choice([1.0, rng.uniform(0.4, 1.6)])
    est_start = 0.0 if rng.random() < 0.7 else round(float(rng.uniform(0.001, 0.05)), 4)
    hop = 0.008 if est_grid == "irregular" else HOP_GRIDS[est_grid]
    m = max(1, int((duration - est_start) / hop) + 1)
    et = times_on(rng, est_grid, m, est_start)
    # The estimate follows the reference (nearest reference sample), with noise, octave errors and voicing errors.
    nearest = np.clip(np.searchsorted(rt, et), 0, len(rt) - 1)
    base = rf[nearest].copy()
    base[base == 0] = np.round(10 * 2 ** (rng.uniform(4000, 8000, (base == 0).sum()) / 1200), 3)
    noise = rng.normal(0, rng.choice([5.0, 20.0, 60.0]), len(et))
    octave = np.where(rng.random(len(et)) < 0.08, rng.choice([-1200, 1200], len(et)), 0)
    ef = np.round(base * 2 ** ((noise + octave) / 1200), 3)
    truly_voiced = rf[nearest] > 0
    flip = rng.random(len(et)) < 0.1
    voiced = np.where(flip, ~truly_voiced, truly_voiced)
    guess = rng.random(len(et)) < 0.5  # unvoiced with (negative) or without (0) a pitch guess
    ef = np.where(voiced, ef, np.where(guess, -ef, 0.0))
    if rng.random() < 0.03:
        ef[:] = 0  # nothing estimated
    return melody_case(f"random-{index:04d}-{ref_grid}-vs-{est_grid}", rt, rf, et, ef)


def melody_edges():
    cases = []
    t = np.arange(6) * 0.01
    for label, c in [("49.999999", 49.999999), ("50.000001", 50.000001), ("49.9", 49.9), ("50.1", 50.1),
                     ("1150.000001", 1150.000001), ("1249.999999", 1249.999999), ("-49.999999", -49.999999),
                     ("-50.000001", -50.000001), ("2400", 2400.0), ("octave-down", -1200.0)]:
        ref = np.array([0, 220, 330, 440, 550, 660.5])
        est = np.where(ref > 0, ref * 2 ** (c / 1200), 0)
        cases.append(melody_case(f"edge-cents-{label}", t, ref, t, est))
    cases.append(melody_case("edge-single-sample", [0.0], [440.0], [0.0], [440.0]))
    cases.append(melody_case("edge-single-sample-after-zero", [0.5], [440.0], [0.25], [440.0]))
    cases.append(melody_case("edge-estimate-all-negative", t, [440] * 6, t, [-440] * 6))
    cases.append(melody_case("edge-estimate-all-unvoiced", t, [440, 0, 440, 0, 440, 0], t, [0] * 6))
    cases.append(melody_case("edge-estimate-longer", t, [440] * 6, np.arange(20) * 0.01, [440] * 20))
    cases.append(melody_case("edge-estimate-one-sample", t, [440] * 6, [0.0], [440.0]))
    return cases


def melody_named():
    """The minimal cases of the issue that found the disagreements, mir_eval's value first there."""
    return [
        melody_case("issue-1-pitch-tolerance-strictly-below-50-cents", [0.0], [160.0], [0.0], [164.68835786295872]),
        melody_case("issue-2-resampled-in-cents", [0, .01, .02], [440, 622.254, 880], [0, .02], [440, 880]),
        melody_case("issue-3-short-estimate-padded-unvoiced", [0, .01, .02, .03], [440] * 4, [0, .01], [440] * 2),
        melody_case("issue-4-no-voiced-reference-recall-1", [0, .01, .02], [0, 0, 0], [0, .01, .02], [0, 440, 0]),
        melody_case("issue-5-series-starting-after-zero", [.01, .02, .03], [440, 440, 0], [.01, .02, .03],
                    [440, 440, 0]),
        melody_case("issue-6-allclose-times-not-resampled", [0, .010000002, .02], [0, 440, 440], [0, .01, .02],
                    [0, 440, 440]),
    ]


# ----------------------------------------------------------------------------------------------------------- onset

def onset_case(name, ref, est, frames=None):
    ref = np.asarray(ref, float)
    est = np.asarray(est, float)
    f, p, r = mir_eval.onset.f_measure(ref, est, window=0.05)
    case = {"family": "onset", "name": name, "input": {"reference": floats(ref), "estimated": floats(est)},
            "expected": {"f_measure": float(f), "precision": float(p), "recall": float(r)}}
    if frames is not None:
        case["input"].update(frames)
    return case


def onset_frames_case(name, ref_frames, est_frames, rate):
    ref_frames = np.asarray(sorted(ref_frames), np.int64)
    est_frames = np.asarray(sorted(est_frames), np.int64)
    return onset_case(name, ref_frames / rate, est_frames / rate,
                      {"frame_rate": rate, "reference_frames": [int(x) for x in ref_frames],
                       "estimated_frames": [int(x) for x in est_frames]})


def onset_random(rng, index):
    rate = FRAME_RATES[index % len(FRAME_RATES)]
    frames = int(rate * rng.uniform(1, 20))
    n = int(rng.integers(0, 40))
    ref = np.unique(rng.integers(0, frames, n))
    jitter = np.round(rng.normal(0, 0.03, len(ref)) * rate).astype(np.int64)
    est = ref + jitter
    est = est[rng.random(len(est)) > 0.15]  # misses
    extra = rng.integers(0, frames, int(rng.integers(0, 8)))  # false alarms
    est = np.unique(np.clip(np.concatenate([est, extra]), 0, None))
    return onset_frames_case(f"random-{index:04d}-{rate:.2f}fps", ref, est, rate)


def onset_edges(rng):
    cases = []
    for rate in FRAME_RATES:
        window_frames = 0.05 * rate
        for d in sorted({int(np.floor(window_frames)), int(np.ceil(window_frames)),
                         int(round(window_frames)) + 1}):
            for sign in (1, -1):
                cases.append(onset_frames_case(f"edge-{rate:.2f}fps-offset-{sign * d}-frames",
                                               [1000], [1000 + sign * d], rate))
        cases.append(onset_frames_case(f"edge-{rate:.2f}fps-empty-estimate", [10, 20], [], rate))
        cases.append(onset_frames_case(f"edge-{rate:.2f}fps-empty-reference", [], [10, 20], rate))
        cases.append(onset_frames_case(f"edge-{rate:.2f}fps-both-empty", [], [], rate))
        # Crowded: many candidates per reference, where a greedy choice that is not in time order would lose pairs.
        ref = np.unique(rng.integers(0, int(rate), 30))
        est = np.unique(np.clip(ref + rng.integers(-int(window_frames) - 1, int(window_frames) + 2, len(ref)),
                                0, None))
        cases.append(onset_frames_case(f"edge-{rate:.2f}fps-crowded", ref, est, rate))
    # Times in seconds, exactly 50 ms apart as floating point computes it.
    for i, t in enumerate([0.1, 0.35, 1.23, 7.77, 29.99]):
        cases.append(onset_case(f"edge-seconds-plus-50ms-{i}", [t], [t + 0.05]))
        cases.append(onset_case(f"edge-seconds-minus-50ms-{i}", [t], [t - 0.05]))
    return cases


def onset_named():
    rate = 22050 / 128
    return [
        onset_frames_case("issue-onset-52ms-is-a-miss-at-172.27fps", [100], [109], rate),
        # Exactly 50 ms apart in frames, in or out of mir_eval's window as floating point rounds frame / rate.
        onset_frames_case("issue-onset-exactly-50ms-at-100fps-miss", [2, 17], [7, 12], 100.0),
        onset_frames_case("issue-onset-exactly-50ms-at-100fps-hit", [100, 300], [105, 295], 100.0),
        onset_frames_case("issue-onset-exactly-50ms-at-1000fps-miss", [18, 168], [68, 118], 1000.0),
        onset_frames_case("issue-onset-exactly-50ms-at-1000fps-hit", [1000, 3000], [1050, 2950], 1000.0),
    ]


# ------------------------------------------------------------------------------------------------ classification

def clip_scores(segments):
    """float64 mean over segments of float32 outputs: what numpy gives, and what the decisions are made on."""
    return [np.asarray(s, np.float64).mean(axis=0) for s in segments]


def top1(scores):
    return np.argsort(scores, axis=1, kind="mergesort")[:, ::-1][:, 0]


def single_label_case(name, truth, segments, classes):
    scores = np.stack(clip_scores(segments))
    labels = list(range(classes))
    pred = top1(scores)
    truth = np.asarray(truth)
    p, r, f, s = skm.precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    expected = {
        "accuracy": float(skm.accuracy_score(truth, pred)),
        "macro_f1": float(skm.f1_score(truth, pred, labels=labels, average="macro", zero_division=0)),
        "macro_f1_observed_labels": float(skm.f1_score(truth, pred, average="macro", zero_division=0)),
        "weighted_f1": float(skm.f1_score(truth, pred, labels=labels, average="weighted", zero_division=0)),
        "precision": floats(p), "recall": floats(r), "f1": floats(f), "support": [int(x) for x in s],
        "predicted": [int(x) for x in pred],
    }
    for k in (1, 2, 3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected[f"top_{k}_accuracy"] = float(skm.top_k_accuracy_score(truth, scores, k=k, labels=labels))
    assert expected["top_1_accuracy"] == expected["accuracy"], name
    return {"family": "single_label", "name": name,
            "input": {"classes": classes, "truth": [int(x) for x in truth],
                      "segments": [[floats(seg) for seg in clip] for clip in segments]},
            "expected": expected}


def outputs(rng, seg):
    """Network outputs: most cases on a 1/4096 grid (short to write, and ties happen), some at full float32."""
    return f32(seg) if rng.random() < 0.2 else f32(np.round(seg * 4096) / 4096)


def random_segments(rng, n, classes, tied):
    out = []
    for _ in range(n):
        count = int(rng.integers(1, 5))
        if tied:
            seg = rng.choice([0.0, 0.25, 0.5], size=(count, classes))
        else:
            logits = rng.normal(0, 2, (count, classes))
            seg = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        out.append(outputs(rng, seg))
    return out


def single_label_random(rng, index):
    classes = int(rng.integers(3, 13))
    n = int(rng.integers(1, 40))
    present = rng.choice(classes, size=int(rng.integers(1, classes + 1)), replace=False)
    truth = rng.choice(present, n)
    tied = rng.random() < 0.3
    return single_label_case(f"random-{index:04d}-k{classes}{'-ties' if tied else ''}", truth,
                             random_segments(rng, n, classes, tied), classes)


def single_label_named():
    return [
        single_label_case("issue-7-top-k-ties-follow-scikit-learn", [1], [f32([[.5, .5, 0]])], 3),
        single_label_case("issue-9-macro-f1-over-all-classes-and-observed-labels", [0, 0, 1, 1],
                          [f32([[.9, .1, 0, 0]]), f32([[.2, .8, 0, 0]]), f32([[.1, .9, 0, 0]]),
                           f32([[.6, .4, 0, 0]])], 4),
    ]


def multi_label_case(name, truth, segments, theta):
    truth = np.asarray(truth, bool)
    means = np.stack(clip_scores(segments))
    sums = np.stack([np.asarray(s, np.float64).sum(axis=0) for s in segments])
    maxima = sums.max(axis=1, keepdims=True)
    s2 = np.divide(sums, maxima, out=np.zeros_like(sums), where=maxima > 0)
    s1_pred = means >= theta
    s2_pred = s2 >= theta
    expected = {"s1": [[bool(x) for x in row] for row in s1_pred], "s2": [[bool(x) for x in row] for row in s2_pred]}
    for rule, pred in (("s1", s1_pred), ("s2", s2_pred)):
        expected[f"{rule}_micro_f1"] = float(skm.f1_score(truth, pred, average="micro", zero_division=0))
        expected[f"{rule}_macro_f1"] = float(skm.f1_score(truth, pred, average="macro", zero_division=0))
    expected["lrap"] = float(skm.label_ranking_average_precision_score(truth, means))
    auc = []
    for c in range(truth.shape[1]):
        column = truth[:, c]
        auc.append(float(skm.roc_auc_score(column, means[:, c])) if 0 < column.sum() < len(column) else None)
    expected["roc_auc"] = auc
    return {"family": "multi_label", "name": name,
            "input": {"theta": float(theta), "truth": [[bool(x) for x in row] for row in truth],
                      "segments": [[floats(seg) for seg in clip] for clip in segments]},
            "expected": expected}


def multi_label_random(rng, index):
    classes = int(rng.integers(3, 13))
    n = int(rng.integers(1, 30))
    truth = rng.random((n, classes)) < rng.uniform(0.05, 0.5)
    truth[:, rng.random(classes) < 0.15] = False  # classes absent from the truth
    tied = rng.random() < 0.3
    segments = []
    for i in range(n):
        count = int(rng.integers(1, 5))
        if tied:
            seg = rng.choice([0.0, 0.25, 0.5, 0.75], size=(count, classes))
        else:
            seg = 1 / (1 + np.exp(-(rng.normal(-1.5, 1.5, (count, classes)) + 3 * truth[i])))
        segments.append(outputs(rng, seg))
    theta = float(rng.choice([0.5, rng.uniform(0.05, 0.95), 0.25, 0.30000000000000004]))
    return multi_label_case(f"random-{index:04d}-k{classes}{'-ties' if tied else ''}", truth, segments, theta)


def multi_label_named():
    return [
        multi_label_case("issue-8-s1-decides-on-the-float64-mean", [[True, False, False]],
                         [f32([[0, .9, .1], [.25, .1, .1], [.5, .1, .1], [.25, .1, .1], [.5, .1, .1]])],
                         0.30000000000000004),
    ]


# ------------------------------------------------------------------------------------------------------------ main

def generate():
    rng = np.random.default_rng(SEED)
    cases = []
    cases += melody_named() + melody_edges() + [melody_random(rng, i) for i in range(900)]
    cases += onset_named() + onset_edges(rng) + [onset_random(rng, i) for i in range(700)]
    cases += single_label_named() + [single_label_random(rng, i) for i in range(450)]
    cases += multi_label_named() + [multi_label_random(rng, i) for i in range(450)]
    header = {"family": "header", "name": "versions",
              "input": {"mir_eval": mir_eval.__version__, "scikit-learn": sklearn.__version__,
                        "numpy": np.__version__, "seed": SEED},
              "expected": {"cases": len(cases)}}
    text = io.StringIO()
    for case in [header] + cases:
        text.write(json.dumps(case, separators=(",", ":"), allow_nan=False))
        text.write("\n")
    return text.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file; exit 1 on drift")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # mir_eval warns on empty or unvoiced series, which are cases on purpose
    text = generate()
    if args.check:
        with gzip.open(args.out, "rt", encoding="utf-8") as f:
            committed = f.read()
        if committed == text:
            print(f"{args.out}: up to date ({text.count(chr(10)) - 1} cases)")
            return 0
        old, new = committed.splitlines(), text.splitlines()
        for i, (a, b) in enumerate(zip(old, new)):
            if a != b:
                print(f"{args.out}: line {i + 1} differs:\n  committed: {a[:300]}\n  generated: {b[:300]}")
                break
        else:
            print(f"{args.out}: {len(old)} committed lines, {len(new)} generated")
        return 1
    # mtime=0 and no file name in the header: the same cases give the same bytes.
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"wrote {args.out}: {text.count(chr(10)) - 1} cases, {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

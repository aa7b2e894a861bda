#!/usr/bin/env python3
"""Reference arrays for the non-default options of FeatureSpec, computed with NumPy/SciPy following librosa's source
(librosa 0.10.x: filters.mel, core.stft, feature.delta). Run from this folder: python3 gen_options.py
Inputs: ../chirp100-8000_22050.wav, ../pink_44100.wav. Outputs: *.npy (frames x bins, float64)."""
import numpy as np, scipy.fft, scipy.signal, scipy.io.wavfile

def hz_to_mel(f, htk):
    f = np.asarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3; logstep = np.log(6.4) / 27.0
    return np.where(f >= 1000.0, 1000.0 / f_sp + np.log(np.maximum(f, 1e-300) / 1000.0) / logstep, f / f_sp)

def mel_to_hz(m, htk):
    m = np.asarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3; logstep = np.log(6.4) / 27.0; min_log_mel = 1000.0 / f_sp
    return np.where(m >= min_log_mel, 1000.0 * np.exp(logstep * (m - min_log_mel)), f_sp * m)

def mel_filterbank(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    fftfreqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f); ramps = np.subtract.outer(mel_f, fftfreqs)
    w = np.zeros((n_mels, n_fft // 2 + 1))
    for i in range(n_mels):
        w[i] = np.maximum(0, np.minimum(-ramps[i] / fdiff[i], ramps[i + 2] / fdiff[i + 1]))
    if norm == "slaney":
        w *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return w

def read(path):
    sr, x = scipy.io.wavfile.read(path)
    return sr, x.astype(np.float64) / 32768.0

def stft_power(y, n_fft, hop, win_length, window, pad_mode, power):
    win = scipy.signal.get_window(window, win_length, fftbins=True)
    lpad = (n_fft - win_length) // 2
    win = np.pad(win, (lpad, n_fft - win_length - lpad))
    yp = np.pad(y, (n_fft // 2, n_fft // 2), mode=pad_mode)
    n_frames = 1 + len(y) // hop
    frames = np.lib.stride_tricks.sliding_window_view(yp, n_fft)[::hop][:n_frames]
    X = scipy.fft.rfft(frames * win, axis=-1)
    return np.abs(X) ** power

def to_db(S, amplitude, ref=1.0, amin=1e-10, top_db=80.0):
    if amplitude:
        S = S ** 2; ref = ref ** 2; amin = amin ** 2
    d = 10.0 * np.log10(np.maximum(amin, S)) - 10.0 * np.log10(max(amin, ref))
    return np.maximum(d, d.max() - top_db) if top_db is not None else d

# 1) chirp: HTK mel, no norm, fmin 50, fmax 8000, n_fft 1024, hop 256, win 800 hamming, reflect padding, 64 mels,
#    power 1 (magnitude mel, amplitude_to_db), top_db 60; then MFCC 20 with deltas of order 1 and 2 (width 9).
sr, y = read("../chirp100-8000_22050.wav")
S = stft_power(y, 1024, 256, 800, "hamming", "reflect", 1.0)
M = S @ mel_filterbank(sr, 1024, 64, 50.0, 8000.0, True, None).T
db = to_db(M, amplitude=True, top_db=60.0)
np.save("chirp_htk_logmel.npy", db)
mfcc = scipy.fft.dct(db, type=2, norm="ortho", axis=-1)[:, :20]
d1 = scipy.signal.savgol_filter(mfcc, 9, 1, deriv=1, axis=0, mode="interp")
d2 = scipy.signal.savgol_filter(mfcc, 9, 2, deriv=2, axis=0, mode="interp")
np.save("chirp_htk_mfcc_deltas.npy", np.concatenate([mfcc, d1, d2], axis=1))
# 2) pink: power spectrogram in dB (stft_db), n_fft 256, hop 441, no top_db.
sr, y = read("../pink_44100.wav")
np.save("pink_stft_db.npy", to_db(stft_power(y, 256, 441, 256, "hann", "constant", 2.0), False, top_db=None))
print("ok")

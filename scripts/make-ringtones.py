#!/usr/bin/env python3
"""Synthesise Skinnyphone's ring tones: three short, warm ring sounds as 16-bit 48 kHz mono WAV files.

Usage: scripts/make-ringtones.py [OUTDIR]      (default: resources/ringtones next to this script's repo)

Each file lasts 1 s (96 KB) and loops without a seam: every partial of the warble is a whole number of
cycles per second, and the struck sounds decay and fade to zero before the file ends. The ringer plays a
file from its start at each ring burst and loops it while the burst lasts. Only the Python standard
library is used and nothing is random, so running the script again gives byte-identical files.
"""
import math
import os
import struct
import sys
import wave

RATE = 48000  # [Hz]
SECONDS = 1.0  # [s] per file
PEAK = 0.5  # [full scale] every file is normalised to this peak (-6 dBFS)


def silence():
    return [0.0] * int(RATE * SECONDS)


def raised_cosine(k, n):
    """0 at k = 0 rising to 1 at k = n."""
    return 0.5 - 0.5 * math.cos(math.pi * min(k, n) / n)


def warble():
    """An electronic ring: a 20 Hz trill between 587 Hz and 740 Hz with soft 2nd and 3rd harmonics."""
    out = silence()
    partials = [(1, 1.0), (2, 0.18), (3, 0.05)]  # (harmonic, amplitude)
    for i in range(len(out)):
        t = i / RATE
        mix = 0.5 + 0.5 * math.cos(2 * math.pi * 20 * t)
        a = sum(amp * math.sin(2 * math.pi * 587 * h * t) for h, amp in partials)
        b = sum(amp * math.sin(2 * math.pi * 740 * h * t) for h, amp in partials)
        out[i] = mix * a + (1 - mix) * b
    return out


def strike(out, start, hz, length, partials, attack=0.003):
    """Adds a struck note at start [s]: partials are (ratio, amplitude, decay time [s]); the note is
    faded to zero over its last 20 ms so it ends within length [s]."""
    first, n = int(start * RATE), int(length * RATE)
    attack_n, fade_n = int(attack * RATE), int(0.020 * RATE)
    for k in range(n):
        if first + k >= len(out):
            break
        t = k / RATE
        v = sum(amp * math.exp(-t / tau) * math.sin(2 * math.pi * hz * ratio * t) for ratio, amp, tau in partials)
        out[first + k] += v * raised_cosine(k, attack_n) * raised_cosine(n - 1 - k, fade_n)


def chime():
    """A two-note door chime: E5 then C5, half a second apart, bell-like with an inharmonic partial."""
    out = silence()
    bell = [(1.0, 1.0, 0.30), (2.0, 0.35, 0.18), (3.0, 0.10, 0.10), (4.2, 0.08, 0.05)]
    strike(out, 0.0, 659.26, 0.5, bell)
    strike(out, 0.5, 523.25, 0.5, bell)
    return out


def marimba():
    """A rising G-C-E-G arpeggio on a soft marimba (partials near 1, 3.9 and 9.2 x the fundamental)."""
    out = silence()
    bar = [(1.0, 1.0, 0.16), (3.9, 0.22, 0.05), (9.2, 0.05, 0.02)]
    for i, hz in enumerate([392.00, 523.25, 659.26, 783.99]):
        strike(out, 0.2 * i, hz, 0.38, bar, attack=0.002)
    return out


def write(path, samples):
    peak = max(abs(v) for v in samples) or 1.0
    data = b"".join(struct.pack("<h", max(-32768, min(32767, round(v * PEAK / peak * 32767)))) for v in samples)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data)
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "ringtones")
    os.makedirs(outdir, exist_ok=True)
    for name, make in [("warble", warble), ("chime", chime), ("marimba", marimba)]:
        write(os.path.join(outdir, name + ".wav"), make())


if __name__ == "__main__":
    main()

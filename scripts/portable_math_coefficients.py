#!/usr/bin/env python3
"""Constants and polynomial coefficients of stream/include/l1emu/stream/portable_math.h and the
2/pi bits of stream/src/portable_math.cpp, as C++ hexadecimal floating literals (needs mpmath).

Run it and compare with the sources when changing a polynomial: Taylor coefficients are 1/n!
rounded; log and atan use Chebyshev fits (mpmath.chebyfit, near-minimax) of
  Q(z) = (atanh(s)/s - 1)/z on z = s^2 in [0, (3 - 2 sqrt 2)^2]   (log m = 2s + 2s z Q(z))
  A(z) = (atan(u)/u - 1)/z  on z = u^2 in [0, tan(pi/12)^2]        (atan u = u + u z A(z))
with the degree where the fit error times z_max is below 1e-16.
"""
import mpmath as mp


def hexf(x):
    return float(x).hex()


def round_bits(x, bits):
    """x rounded to `bits` significant bits (so k * x is exact for small integers k)."""
    e = int(mp.floor(mp.log(abs(x), 2)))
    scale = mp.mpf(2) ** (bits - 1 - e)
    return mp.nint(x * scale) / scale


def main():
    mp.mp.prec = 400
    pio2 = mp.pi / 2
    p1 = round_bits(pio2, 33)
    p2 = round_bits(pio2 - p1, 33)
    p3 = mp.mpf(float(pio2 - p1 - p2))
    print("pi/2 = kPio2_1 + kPio2_2 + kPio2_3:", hexf(p1), hexf(p2), hexf(p3),
          "residual", mp.nstr(pio2 - p1 - p2 - p3, 3))
    ln2 = mp.log(2)
    l1 = round_bits(ln2, 32)
    print("ln 2 = kLn2_1 + kLn2_2:", hexf(l1), hexf(ln2 - l1), "residual", mp.nstr(ln2 - l1 - float(ln2 - l1), 3))
    for name, v in [("kTwoOverPi", 2 / mp.pi), ("kPio2", pio2), ("kPio2Lo", pio2 - float(pio2)),
                    ("kPi", mp.pi), ("kPiLo", mp.pi - float(mp.pi)), ("kPi6", mp.pi / 6),
                    ("kSqrt3", mp.sqrt(3)), ("kTanPi12", mp.tan(mp.pi / 12)), ("kLn2", ln2),
                    ("kInvLn2", 1 / ln2)]:
        print(f"{name} = {hexf(v)}")
    print("1/n!:", ", ".join(f"{n}: {hexf(1 / mp.factorial(n))}" for n in range(2, 17)))

    mp.mp.prec = 1400
    t = 2 / mp.pi
    words = []
    for _ in range(40):
        t *= 2**32
        w = int(mp.floor(t))
        words.append(w)
        t -= w
    print("2/pi bits:", ", ".join("0x%08X" % w for w in words))

    mp.mp.prec = 200
    fits = [
        ("log Q", lambda z: (mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z > 0 else mp.mpf(1) / 3,
         (3 - 2 * mp.sqrt(2)) ** 2, 6),
        ("atan A", lambda z: (mp.atan(mp.sqrt(z)) / mp.sqrt(z) - 1) / z if z > 0 else -mp.mpf(1) / 3,
         mp.tan(mp.pi / 12) ** 2, 7),
    ]
    for name, f, zmax, degree in fits:
        c, err = mp.chebyfit(f, [0, zmax], degree + 1, error=True)
        print(f"{name}: degree {degree}, fit error {mp.nstr(err, 3)} (x z_max = {mp.nstr(err * zmax, 3)}),"
              " highest degree first:")
        print("  " + ", ".join(hexf(x) for x in c))


if __name__ == "__main__":
    main()
